import { ConfigError } from './errors';
import { DEFAULT_MAX_BODY_BYTES, loadServerConfig } from './server-config';

describe(loadServerConfig.name, () => {
  it('uses the spec defaults when nothing is set', () => {
    const c = loadServerConfig({ HYPERCACHE_NODE_ID: 'n1' });
    expect(c).toMatchObject({
      nodeId: 'n1',
      listeners: { api: { host: '0.0.0.0', port: 8080, text: ':8080' }, mgmt: { port: 8081 }, dist: { port: 7946 } },
      logLevel: 'info',
      auth: { token: undefined },
      engine: { capacity: 100_000 },
      clientApi: { maxBodyBytes: DEFAULT_MAX_BODY_BYTES },
      shutdownTimeoutMs: 30_000,
      transport: { batchMaxOps: 256 },
    });
    // HYPERCACHE_DIST_BATCH_MAX_OPS=0 (one HTTP call per operation) is the transport's batchMaxOps -1.
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_DIST_BATCH_MAX_OPS: '0' }).transport.batchMaxOps).toBe(-1);
  });

  it('keeps the strict write quorum unless HYPERCACHE_SLOPPY_QUORUM opts into upstream’s sloppy one, and rejects other values', () => {
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1' }).dist.sloppyQuorum).toBe(false);
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_SLOPPY_QUORUM: 'true' }).dist.sloppyQuorum).toBe(true);
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_SLOPPY_QUORUM: 'FALSE' }).dist.sloppyQuorum).toBe(false);
    expect(() => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_SLOPPY_QUORUM: 'yes' })).toThrow(ConfigError);
    expect(() => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_SLOPPY_QUORUM: 'yes' })).toThrow(/HYPERCACHE_SLOPPY_QUORUM/);
  });

  it('lets an owner coordinate writes of its keys unless HYPERCACHE_WRITE_COORDINATOR=primary (decisions F15, F16)', () => {
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1' }).dist.writeCoordinator).toBe('owner');
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_WRITE_COORDINATOR: 'Owner' }).dist.writeCoordinator).toBe('owner');
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_WRITE_COORDINATOR: 'primary' }).dist.writeCoordinator).toBe('primary');
  });

  it('treats empty strings as unset', () => {
    const c = loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_CAPACITY: '', HYPERCACHE_AUTH_TOKEN: '' });
    expect(c.engine.capacity).toBe(100_000);
    expect(c.auth.token).toBeUndefined();
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
    expect(c.listeners.api).toEqual({ host: '127.0.0.1', port: 0, text: '127.0.0.1:0' });
    expect(c.listeners.mgmt.host).toBe('::1');
    expect(c.logLevel).toBe('warn');
    expect(c.engine.capacity).toBe(0);
    expect(c.clientApi.maxBodyBytes).toBe(1024);
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
    expect(c).toMatchObject({ ring: { replication: 2 }, dist: { readConsistency: 'QUORUM', writeConsistency: 'ALL', hintTtlMs: 0, hintReplayIntervalMs: 200 } });
    expect(c.distTls).toEqual({ certFile: '/c.pem', keyFile: '/k.pem', caFile: undefined });
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1' })).toMatchObject({ ring: { replication: 3 }, dist: { readConsistency: 'ONE', writeConsistency: 'QUORUM', tombstoneTtlMs: 86_400_000 } });
  });

  it('parses the failure-detection, rebalancing and anti-entropy settings (issue 5)', () => {
    expect(loadServerConfig({ HYPERCACHE_NODE_ID: 'n1' })).toMatchObject({
      swim: { heartbeatIntervalMs: 1_000, indirectProbeK: 2, gossipIntervalMs: 1_000 },
      rebalancer: { intervalMs: 250 },
      antiEntropy: { intervalMs: 10_000, peersPerTick: 1, chunkSize: 128 },
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
    expect(c).toMatchObject({
      swim: { heartbeatIntervalMs: 200, indirectProbeK: 0, gossipIntervalMs: 0 },
      rebalancer: { intervalMs: 1_000 },
      antiEntropy: { intervalMs: 500, peersPerTick: 0, chunkSize: 64 },
    });
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
    ['HYPERCACHE_WRITE_COORDINATOR', 'any'],
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

  it('reports every bad variable at once, each with its value, never the secret token', () => {
    let err: unknown;
    try {
      loadServerConfig({
        HYPERCACHE_NODE_ID: 'n1',
        HYPERCACHE_CAPACITY: 'ten',
        HYPERCACHE_HEARTBEAT: 'fast',
        HYPERCACHE_READ_CONSISTENCY: 'MOST',
        HYPERCACHE_DIST_TLS_CERT: '/c.pem',
        HYPERCACHE_AUTH_TOKEN: 'very-secret',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const { issues, message } = err as ConfigError;
    expect(issues.map((i) => [i.variable, i.value]).sort()).toEqual([
      ['HYPERCACHE_CAPACITY', 'ten'],
      ['HYPERCACHE_DIST_TLS_KEY', ''],
      ['HYPERCACHE_HEARTBEAT', 'fast'],
      ['HYPERCACHE_READ_CONSISTENCY', 'MOST'],
    ]);
    for (const i of issues) expect(message).toContain(`${i.variable}=${JSON.stringify(i.value)}`);
    expect(message).not.toContain('very-secret');
  });
});
