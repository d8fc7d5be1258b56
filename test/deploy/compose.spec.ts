import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadServerConfig } from '@hypercache/config';
import { ROOT } from '../support/server-process';

const compose = parse(readFileSync(join(ROOT, 'docker-compose.cluster.yml'), 'utf8'), { merge: true });

/** The common environment of deploy.md §4. */
const COMMON = {
  HYPERCACHE_API_ADDR: ':8080',
  HYPERCACHE_MGMT_ADDR: ':8081',
  HYPERCACHE_REPLICATION: '3',
  HYPERCACHE_CAPACITY: '100000',
  HYPERCACHE_AUTH_TOKEN: 'dev-token',
  HYPERCACHE_LOG_LEVEL: 'info',
  HYPERCACHE_HEARTBEAT: '1s',
  HYPERCACHE_INDIRECT_PROBE_K: '2',
  HYPERCACHE_HINT_TTL: '30s',
  HYPERCACHE_HINT_REPLAY: '200ms',
  HYPERCACHE_REBALANCE_INTERVAL: '250ms',
};

const ids = [1, 2, 3, 4, 5];

describe('docker-compose.cluster.yml', () => {
  it('defines exactly the five services hypercache-1..5, on one bridge network named hypercache-cluster', () => {
    expect(Object.keys(compose.services)).toEqual(ids.map((i) => `hypercache-${i}`));
    expect(compose.networks['hypercache-cluster']).toEqual({ name: 'hypercache-cluster', driver: 'bridge' });
  });

  it.each(ids)('node %i: names, image, restart policy, network and read-only root fs', (i) => {
    const s = compose.services[`hypercache-${i}`];
    expect(s.container_name).toBe(`hypercache-${i}`);
    expect(s.hostname).toBe(`hypercache-${i}`);
    expect(s.image).toBe('hypercache-server:cluster');
    expect(s.build).toEqual({ context: '.', dockerfile: 'deploy/Dockerfile' });
    expect(s.restart).toBe('unless-stopped');
    expect(s.networks).toEqual(['hypercache-cluster']);
    expect(s.read_only).toBe(true);
  });

  it.each(ids)('node %i: the spec environment, seeded with the other four as id@host:7946', (i) => {
    const env = compose.services[`hypercache-${i}`].environment;
    const others = ids.filter((j) => j !== i);
    expect(env).toEqual({
      ...COMMON,
      HYPERCACHE_NODE_ID: `node-${i}`,
      HYPERCACHE_DIST_ADDR: `hypercache-${i}:7946`,
      HYPERCACHE_SEEDS: others.map((j) => `node-${j}@hypercache-${j}:7946`).join(','),
    });
    // Every value is a string (an unquoted 3 would reach the container as "3" anyway, but be explicit).
    for (const v of Object.values(env)) expect(typeof v).toBe('string');
  });

  it.each(ids)('node %i: host ports 808%i → client API and 908%i → management, matching the env; dist not published', (i) => {
    const s = compose.services[`hypercache-${i}`];
    const config = loadServerConfig(s.environment);
    expect(s.ports).toEqual([`${8080 + i}:${config.listeners.api.port}`, `${9080 + i}:${config.listeners.mgmt.port}`]);
    expect(config).toMatchObject({ nodeId: `node-${i}`, ring: { replication: 3 }, engine: { capacity: 100_000 }, dist: { hintTtlMs: 30_000, hintReplayIntervalMs: 200 } });
    expect(config.listeners.dist).toMatchObject({ host: `hypercache-${i}`, port: 7946 });
    expect(s.ports.join(',')).not.toContain('7946');
  });

  it('the seed lists form one cluster: every node is a seed of every other node, with its own advertised address', () => {
    const advertised = new Map(ids.map((i) => [`node-${i}`, compose.services[`hypercache-${i}`].environment.HYPERCACHE_DIST_ADDR]));
    for (const i of ids) {
      const seeds: string[] = compose.services[`hypercache-${i}`].environment.HYPERCACHE_SEEDS.split(',');
      expect(seeds).toHaveLength(4);
      for (const seed of seeds) {
        const [id, address] = seed.split('@');
        expect(advertised.get(id)).toBe(address);
      }
    }
  });
});
