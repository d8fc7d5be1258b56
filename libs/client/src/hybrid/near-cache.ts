import type { HypercacheClient } from '../hypercache-client';
import { ClusterBackplane, type ClusterBackplaneOptions } from './cluster-backplane';
import { ClusterL2, type ClusterL2Options } from './cluster-l2';
import { NearCacheL1, type NearCacheL1Options } from './near-cache-l1';

/** Options of {@link createNearCache}. */
export interface NearCacheOptions {
  /** The hybrid cache's `cacheName`. Default `'default'`. */
  readonly cacheName?: string;
  /** Cluster key prefix of this cache's entries. Default `''`. */
  readonly keyPrefix?: string;
  /** L1 life cap in ms. Default 60 000. */
  readonly localTtlCapMs?: number;
  /** The L1 underneath the guard. */
  readonly l1?: NearCacheL1Options['inner'];
  readonly l2?: Omit<ClusterL2Options, 'keyPrefix'>;
  readonly backplane?: Omit<ClusterBackplaneOptions, 'keyPrefix' | 'cacheName'>;
}

/** The three adapters of a near-cache; spread them into `new HybridCache({ ...nearCache, serializer })`. */
export interface NearCache {
  readonly cacheName: string;
  readonly l1: NearCacheL1;
  readonly l2: ClusterL2;
  readonly backplane: ClusterBackplane;
}

/**
 * A near-cache over the cluster: {@link ClusterL2} + {@link ClusterBackplane} + the guarded,
 * TTL-capped {@link NearCacheL1}, wired together (same key prefix, the L1 serves only while the
 * backplane's streams are healthy). `new HybridCache({ l2, backplane })` alone also works, without
 * the cap and the outage guard (the backplane still drops L1 on every loss).
 */
export function createNearCache(client: HypercacheClient, o: NearCacheOptions = {}): NearCache {
  const cacheName = o.cacheName ?? 'default';
  const backplane = new ClusterBackplane(client, { ...o.backplane, cacheName, keyPrefix: o.keyPrefix });
  const l2 = new ClusterL2(client, { ...o.l2, keyPrefix: o.keyPrefix });
  const l1 = new NearCacheL1({ isHealthy: () => backplane.healthy, localTtlCapMs: o.localTtlCapMs, inner: o.l1 });
  return { cacheName, l1, l2, backplane };
}
