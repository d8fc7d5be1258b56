import { ConfigError } from './errors';
import { DEFAULT_MAX_BODY_BYTES, loadServerConfig } from './server-config';

describe(loadServerConfig.name, () => {
  it('uses the spec defaults when nothing is set', () => {
    const c = loadServerConfig({ HYPERCACHE_NODE_ID: 'n1' });
    expect(c).toMatchObject({
      nodeId: 'n1',
      apiAddr: { host: '0.0.0.0', port: 8080, text: ':8080' },
      mgmtAddr: { port: 8081 },
      distAddr: { port: 7946 },
      logLevel: 'info',
      authToken: undefined,
      capacity: 100_000,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      shutdownTimeoutMs: 30_000,
      distBatchMaxOps: 256,
    });
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_DIST_BATCH_MAX_OPS: '0' }).distBatchMaxOps).toBe(0);
  });

  it('keeps the strict write quorum unless HYPERCACHE_SLOPPY_QUORUM opts into upstream’s sloppy one, and rejects other values', () => {
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1' }).sloppyQuorum).toBe(false);
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_SLOPPY_QUORUM: 'true' }).sloppyQuorum).toBe(true);
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_SLOPPY_QUORUM: 'FALSE' }).sloppyQuorum).toBe(false);
    expect(() => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_SLOPPY_QUORUM: 'yes' })).toThrow(ConfigError);
    expect(() => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_SLOPPY_QUORUM: 'yes' })).toThrow(/HYPERCACHE_SLOPPY_QUORUM/);
  });

  it('treats empty strings as unset', () => {
    const c = loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_CAPACITY: '', HYPERCACHE_AUTH_TOKEN: '' });
    expect(c.capacity).toBe(100_000);
    expect(c.authToken).toBeUndefined();
  });

  it('parses addresses, levels, integers and durations', () => {
    const c = loadServerConfig({
      HYPERCACHE_NODE_ID: 'n1',
      HYPERCACHE_API_ADDR: '127.0.0.1:0',
      HYPERCACHE_MGMT_ADDR: '[::1]:9000',
      HYPERCACHE_LOG_LEVEL: 'WARNING',
      HYPERCACHE_CAPACITY: '0',
      HYPERCACHE_MAX_BODY_BYTES: '1024',
      HYPERCACHE_SHUTDOWN_TIMEOUT: '1m30s',
    });
    expect(c.apiAddr).toEqual({ host: '127.0.0.1', port: 0, text: '127.0.0.1:0' });
    expect(c.mgmtAddr.host).toBe('::1');
    expect(c.logLevel).toBe('warn');
    expect(c.capacity).toBe(0);
    expect(c.maxBodyBytes).toBe(1024);
    expect(c.shutdownTimeoutMs).toBe(90_000);
  });

  it('parses the cluster settings', () => {
    const c = loadServerConfig({
      HYPERCACHE_NODE_ID: 'n1',
      HYPERCACHE_SEEDS: ' n2@10.0.0.2:7946, ,n3@10.0.0.3:7946 ',
      HYPERCACHE_REPLICATION: '2',
      HYPERCACHE_READ_CONSISTENCY: 'quorum',
      HYPERCACHE_WRITE_CONSISTENCY: 'ALL',
      HYPERCACHE_HINT_TTL: '0',
      HYPERCACHE_DIST_TLS_CERT: '/c.pem',
      HYPERCACHE_DIST_TLS_KEY: '/k.pem',
    });
    expect(c.seeds).toEqual(['n2@10.0.0.2:7946', 'n3@10.0.0.3:7946']);
    expect(c).toMatchObject({ replication: 2, readConsistency: 'QUORUM', writeConsistency: 'ALL', hintTtlMs: 0, hintReplayMs: 200 });
    expect(c.distTls).toEqual({ certFile: '/c.pem', keyFile: '/k.pem', caFile: undefined });
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1' })).toMatchObject({ replication: 3, readConsistency: 'ONE', writeConsistency: 'QUORUM', tombstoneTtlMs: 86_400_000 });
  });

  it('parses the failure-detection, rebalancing and anti-entropy settings (issue 5)', () => {
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1' })).toMatchObject({
      heartbeatMs: 1_000,
      indirectProbeK: 2,
      gossipIntervalMs: 1_000,
      rebalanceIntervalMs: 250,
      merkleSyncIntervalMs: 10_000,
      merkleSyncPeers: 1,
      merkleChunkSize: 128,
    });
    const c = loadServerConfig({
      HYPERCACHE_NODE_ID: 'n1',
      HYPERCACHE_HEARTBEAT: '200ms',
      HYPERCACHE_INDIRECT_PROBE_K: '-3',
      HYPERCACHE_GOSSIP_INTERVAL: '0',
      HYPERCACHE_REBALANCE_INTERVAL: '1s',
      HYPERCACHE_MERKLE_SYNC_INTERVAL: '500ms',
      HYPERCACHE_MERKLE_SYNC_PEERS: '0',
      HYPERCACHE_MERKLE_CHUNK_SIZE: '64',
    });
    expect(c).toMatchObject({ heartbeatMs: 200, indirectProbeK: 0, gossipIntervalMs: 0, rebalanceIntervalMs: 1_000, merkleSyncIntervalMs: 500, merkleSyncPeers: 0, merkleChunkSize: 64 });
    expect(() => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_HEARTBEAT: 'fast' })).toThrow(/HYPERCACHE_HEARTBEAT/);
    expect(() => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_INDIRECT_PROBE_K: 'two' })).toThrow(/HYPERCACHE_INDIRECT_PROBE_K/);
    expect(() => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_MERKLE_CHUNK_SIZE: '0' })).toThrow(/HYPERCACHE_MERKLE_CHUNK_SIZE/);
  });

  it('rejects half a dist TLS key pair', () => {
    expect(() => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_DIST_TLS_CERT: '/c.pem' })).toThrow(/HYPERCACHE_DIST_TLS_KEY/);
  });

  it.each([
    ['HYPERCACHE_API_ADDR', '8080'],
    ['HYPERCACHE_API_ADDR', 'host:99999'],
    ['HYPERCACHE_MGMT_ADDR', 'a:b'],
    ['HYPERCACHE_DIST_ADDR', ':-1'],
    ['HYPERCACHE_CAPACITY', 'ten'],
    ['HYPERCACHE_CAPACITY', '-5'],
    ['HYPERCACHE_CAPACITY', '1.5'],
    ['HYPERCACHE_MAX_BODY_BYTES', '0'],
    ['HYPERCACHE_LOG_LEVEL', 'loud'],
    ['HYPERCACHE_SHUTDOWN_TIMEOUT', '30'],
    ['HYPERCACHE_SHUTDOWN_TIMEOUT', '-1s'],
    ['HYPERCACHE_NODE_ID', 'a b'],
    ['HYPERCACHE_REPLICATION', '0'],
    ['HYPERCACHE_REPLICATION', 'three'],
    ['HYPERCACHE_READ_CONSISTENCY', 'MOST'],
    ['HYPERCACHE_WRITE_CONSISTENCY', 'two'],
    ['HYPERCACHE_HINT_TTL', '30'],
    ['HYPERCACHE_HINT_MAX_TOTAL', '-1'],
    ['HYPERCACHE_TOMBSTONE_TTL', 'forever'],
    ['HYPERCACHE_DIST_TIMEOUT', '5'],
    ['HYPERCACHE_DIST_TLS_CA', '/ca.pem'],
    ['HYPERCACHE_DIST_BATCH_MAX_OPS', '4097'],
    ['HYPERCACHE_DIST_BATCH_MAX_OPS', 'many'],
  ])('rejects %s=%j naming the variable and the value', (name, value) => {
    let err: unknown;
    try {
      loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(name);
    expect((err as ConfigError).message).toContain(name);
    expect((err as ConfigError).message).toContain(JSON.stringify(value));
  });
});
