import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * Telemetry of the hybrid cache through `node:diagnostics_channel` (published only when someone
 * subscribes) and plain counters per cache name, readable by any app or a Prometheus endpoint.
 */
export const HYBRID_CACHE_CHANNELS = {
  /** `{ cacheName, key }` on a fresh hit. */
  hit: 'hypercache:hybrid-cache:hit',
  /** `{ cacheName, key }` on a miss. */
  miss: 'hypercache:hybrid-cache:miss',
  /** `{ cacheName, key, reason }` when a stale value is served (fail-safe, soft/hard timeout, stale read). */
  stale: 'hypercache:hybrid-cache:stale',
  /** Tracing channel (`start`/`end`/`asyncStart`/`asyncEnd`/`error`) around every factory run: `{ cacheName, key }`. */
  factory: 'hypercache:hybrid-cache:factory',
} as const;

const hitChannel = diagnosticsChannel.channel(HYBRID_CACHE_CHANNELS.hit);
const missChannel = diagnosticsChannel.channel(HYBRID_CACHE_CHANNELS.miss);
const staleChannel = diagnosticsChannel.channel(HYBRID_CACHE_CHANNELS.stale);
const factoryChannel = diagnosticsChannel.tracingChannel<object, { cacheName: string; key: string }>(HYBRID_CACHE_CHANNELS.factory);

/** @internal */
export function publishHit(cacheName: string, key: string): void {
  if (hitChannel.hasSubscribers) hitChannel.publish({ cacheName, key });
}

/** @internal */
export function publishMiss(cacheName: string, key: string): void {
  if (missChannel.hasSubscribers) missChannel.publish({ cacheName, key });
}

/** @internal */
export function publishStale(cacheName: string, key: string, reason: string): void {
  if (staleChannel.hasSubscribers) staleChannel.publish({ cacheName, key, reason });
}

function factoryTraced(): boolean {
  const c = factoryChannel as unknown as { hasSubscribers?: boolean; start: diagnosticsChannel.Channel; asyncEnd: diagnosticsChannel.Channel; error: diagnosticsChannel.Channel };
  return typeof c.hasSubscribers === 'boolean' ? c.hasSubscribers : c.start.hasSubscribers || c.asyncEnd.hasSubscribers || c.error.hasSubscribers;
}

/** @internal Runs `fn` inside a factory span when the tracing channel has subscribers. */
export function traceFactory<T>(cacheName: string, key: string, fn: () => Promise<T>): Promise<T> {
  if (!factoryTraced()) return fn();
  return factoryChannel.tracePromise(fn, { cacheName, key });
}

/** Monotonic counters of one cache name (summed over every instance with that name in this process). */
export interface HybridCacheCounters {
  hits: number;
  staleHits: number;
  misses: number;
  l2Hits: number;
  l2Misses: number;
  l2Errors: number;
  factoryCalls: number;
  factoryErrors: number;
  failSafeActivations: number;
  softTimeouts: number;
  hardTimeouts: number;
  eagerRefreshes: number;
  backplaneSent: number;
  backplaneReceived: number;
  backplaneErrors: number;
  l1Resyncs: number;
}

function zeroCounters(): HybridCacheCounters {
  return {
    hits: 0,
    staleHits: 0,
    misses: 0,
    l2Hits: 0,
    l2Misses: 0,
    l2Errors: 0,
    factoryCalls: 0,
    factoryErrors: 0,
    failSafeActivations: 0,
    softTimeouts: 0,
    hardTimeouts: 0,
    eagerRefreshes: 0,
    backplaneSent: 0,
    backplaneReceived: 0,
    backplaneErrors: 0,
    l1Resyncs: 0,
  };
}

// On globalThis so the ESM and CommonJS copies of the package share one registry.
const REGISTRY_KEY = Symbol.for('@hypercache/hybrid-cache/counters');
function registry(): Map<string, HybridCacheCounters> {
  const g = globalThis as { [REGISTRY_KEY]?: Map<string, HybridCacheCounters> };
  return (g[REGISTRY_KEY] ??= new Map());
}

/** @internal The live counters of `cacheName` (created on first use). */
export function countersFor(cacheName: string): HybridCacheCounters {
  const r = registry();
  let c = r.get(cacheName);
  if (c === undefined) r.set(cacheName, (c = zeroCounters()));
  return c;
}

/** A snapshot of the counters of every cache name used in this process. */
export function hybridCacheCounters(): Map<string, Readonly<HybridCacheCounters>> {
  const out = new Map<string, HybridCacheCounters>();
  for (const [name, c] of registry()) out.set(name, { ...c });
  return out;
}
