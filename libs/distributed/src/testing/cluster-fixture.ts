import { HyperCache, type HyperCacheOptions } from '@hypercache/cache-engine';
import { loadXxhash64 } from '@hypercache/hashing';
import { HashRing, RingTopology } from '@hypercache/membership';
import type { DistributedCacheOptions } from '../distributed-cache-options';
import { EngineLocalStore } from '../engine-local-store';
import { InProcessCluster } from './in-process-cluster';

/**
 * An in-process cluster of real engines (absolute expiry, per-node HLC) on a real XXH64 ring.
 * `nowMs` on the returned cluster is the shared fake clock. `o.ring`, when given, is read on every
 * ownership lookup (tests that change membership swap the ring it returns); otherwise the ring is
 * fixed: all `ids` with `o.replication` (default 3) owners per key. `o.engine` adds per-node engine
 * options (e.g. a memory limit on one node). `o.clockOffsetMs` runs chosen nodes' version clocks
 * ahead (+) or behind (−) the shared clock, as wall clocks skewed between machines.
 */
export async function inProcessCluster(
  ids: readonly string[],
  o: {
    replication?: number;
    ring?: () => HashRing;
    options?: DistributedCacheOptions;
    engine?: (id: string) => HyperCacheOptions<Buffer>;
    clockOffsetMs?: Readonly<Record<string, number>>;
  } = {},
) {
  const hasher = await loadXxhash64();
  const ring = new HashRing(hasher, ids, { replication: o.replication ?? 3, virtualNodes: 64 });
  const current = o.ring ?? (() => ring);
  const engines = new Map<string, HyperCache<Buffer>>();
  const cluster: InProcessCluster = new InProcessCluster(ids, {
    ownership: (id) => new RingTopology(id, current()),
    store: (id, now) => {
      const engine = new HyperCache<Buffer>({ nodeId: id, now, expiry: 'absolute', evictionIntervalMs: 0, expirationIntervalMs: 0, ...o.engine?.(id) });
      engines.set(id, engine);
      return new EngineLocalStore(engine);
    },
    clock: (id) => {
      const clock = engines.get(id)!.clock;
      const offset = o.clockOffsetMs?.[id] ?? 0;
      return offset === 0 ? clock : { issue: (nowMs, floor) => clock.issue(nowMs + offset, floor), observe: (v) => clock.observe(v) };
    },
    options: { hintReplayIntervalMs: 0, tombstoneSweepIntervalMs: 0, ...o.options },
  });
  return { cluster, ring, engines };
}

/** A key whose owners (primary first) are exactly `owners` on `ring`, searched deterministically. */
export function keyOwnedBy(ring: HashRing, owners: readonly string[], prefix = 'k'): string {
  for (let i = 0; i < 1_000_000; i++) {
    const key = `${prefix}${i}`;
    const o = ring.ownersOf(key);
    if (o.length === owners.length && o.every((id, j) => id === owners[j])) return key;
  }
  throw new Error(`no key owned by ${owners.join(',')}`);
}
