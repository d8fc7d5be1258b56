import fc from 'fast-check';
import { ConfigError } from './errors';
import { loadServerConfig } from './server-config';
import { deriveStatefulSetEnv } from './statefulset-env';

const pod = (name: string, replicas: number | string, extra: Record<string, string> = {}) => ({
  POD_NAME: name,
  POD_NAMESPACE: 'cache',
  HYPERCACHE_STATEFULSET_SERVICE: 'hypercache-headless',
  HYPERCACHE_STATEFULSET_REPLICAS: String(replicas),
  ...extra,
});

describe(deriveStatefulSetEnv.name, () => {
  it('derives node ID, the advertised dist address and a seed per replica', () => {
    expect(deriveStatefulSetEnv(pod('hypercache-1', 3))).toEqual({
      HYPERCACHE_NODE_ID: 'hypercache-1',
      HYPERCACHE_DIST_ADDR: 'hypercache-1.hypercache-headless.cache.svc.cluster.local:7946',
      HYPERCACHE_SEEDS: [0, 1, 2].map((i) => `hypercache-${i}@hypercache-${i}.hypercache-headless.cache.svc.cluster.local:7946`).join(','),
    });
  });

  it('keeps the dist port of a `:port` address, the cluster domain and explicit values', () => {
    const env = deriveStatefulSetEnv(pod('hc-0', 1, { HYPERCACHE_DIST_ADDR: ':9000', HYPERCACHE_CLUSTER_DOMAIN: 'corp.internal' }));
    expect(env.HYPERCACHE_DIST_ADDR).toBe('hc-0.hypercache-headless.cache.svc.corp.internal:9000');
    expect(env.HYPERCACHE_SEEDS).toBe('hc-0@hc-0.hypercache-headless.cache.svc.corp.internal:9000');
    const explicit = deriveStatefulSetEnv(pod('hc-0', 2, { HYPERCACHE_DIST_ADDR: '10.0.0.1:7000', HYPERCACHE_SEEDS: 'a@b:1', HYPERCACHE_NODE_ID: 'x' }));
    expect(explicit).toEqual({ HYPERCACHE_NODE_ID: 'x', HYPERCACHE_DIST_ADDR: '10.0.0.1:7000', HYPERCACHE_SEEDS: 'a@b:1' });
  });

  it('covers every replica exactly once, for any replica count and any pod of the set', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.nat(), (replicas, n) => {
        const ordinal = n % replicas;
        const env = deriveStatefulSetEnv(pod(`hypercache-${ordinal}`, replicas));
        const seeds = env.HYPERCACHE_SEEDS.split(',');
        const ids = seeds.map((s) => s.split('@')[0]);
        expect(ids).toEqual(Array.from({ length: replicas }, (_, i) => `hypercache-${i}`));
        for (const s of seeds) expect(s).toMatch(/^(hypercache-\d+)@\1\.hypercache-headless\.cache\.svc\.cluster\.local:7946$/);
        // The server's own parser accepts the derived values.
        const config = loadServerConfig({ ...env });
        expect(config.seeds).toHaveLength(replicas);
        expect(config.listeners.dist.port).toBe(7946);
      }),
    );
  });

  it.each([
    [{ POD_NAME: '' }, 'POD_NAME'],
    [{ POD_NAME: 'no-ordinal' }, 'POD_NAME'],
    [{ POD_NAME: 'Bad_Name-0' }, 'POD_NAME'],
    [{ POD_NAMESPACE: '' }, 'POD_NAMESPACE'],
    [{ HYPERCACHE_STATEFULSET_SERVICE: '' }, 'HYPERCACHE_STATEFULSET_SERVICE'],
    [{ HYPERCACHE_STATEFULSET_REPLICAS: '0' }, 'HYPERCACHE_STATEFULSET_REPLICAS'],
    [{ HYPERCACHE_STATEFULSET_REPLICAS: 'five' }, 'HYPERCACHE_STATEFULSET_REPLICAS'],
    [{ HYPERCACHE_STATEFULSET_REPLICAS: '$(REPLICAS)' }, 'HYPERCACHE_STATEFULSET_REPLICAS'],
    [{ HYPERCACHE_DIST_ADDR: 'nope' }, 'HYPERCACHE_DIST_ADDR'],
  ])('rejects %j naming %s', (override, variable) => {
    const run = () => deriveStatefulSetEnv({ ...pod('hypercache-0', 5), ...override });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (e) {
      expect((e as ConfigError).variable).toBe(variable);
    }
  });
});
