import { NO_EVICTION, type EvictionAlgorithm, type NamedAlgorithmFactory } from './eviction-algorithm';
import { planEvictionTracking } from './eviction-tracking';

/** Tries per drained key when an algorithm's `evict` yields nothing while it still tracks keys (a Clock lap). */
const MAX_EMPTY_EVICTS = 64;

/** What {@link AsyncEvictionTracker} is built from (the engine's resolved options). */
export interface AsyncEvictionTrackerOptions {
  evictionAlgorithm: string | EvictionAlgorithm<string>;
  evictionAlgorithmFactory: NamedAlgorithmFactory;
  evictionIntervalMs: number;
}

/**
 * Eviction tracking of `AsyncHyperCache` (engine.md §5 over a backend with I/O; docs/decisions.md
 * B14): the eviction algorithm sees every key this engine writes (`set`) and every read hit
 * (`get`), forgets keys this engine removes or finds gone, and chooses victims. It knows only keys
 * this process touched; keys written by other engines on the same Redis prefix are evicted by
 * their own engines (or by Redis `maxmemory`).
 *
 * Sized like `HyperCache`'s ({@link planEvictionTracking}: 2 × capacity, unbounded or nothing). A
 * new key first yields one victim when the tracked count reaches the insert bound: capacity in
 * proactive mode (`evictionIntervalMs` 0), 2 × capacity in loop mode, so the new key is never its
 * own victim and the algorithm never drops a key silently. A `Set` of tracked keys tells new keys
 * from overwrites (an overwrite never evicts). With nothing evictable (capacity 0 and
 * `maxEvictionCount` 0) nothing is tracked and every method is a no-op.
 */
export class AsyncEvictionTracker {
  readonly #o: AsyncEvictionTrackerOptions;
  readonly #keys = new Set<string>();
  #algorithm: EvictionAlgorithm<string> = NO_EVICTION;
  #trackingCapacity = 0;
  #insertBound = 0;

  constructor(o: AsyncEvictionTrackerOptions) {
    this.#o = o;
  }

  /** The algorithm tracking keys (`none` while nothing can be evicted). */
  get algorithm(): EvictionAlgorithm<string> {
    return this.#algorithm;
  }

  /** Keys tracked. */
  get length(): number {
    return this.#keys.size;
  }

  /**
   * (Re)plans tracking for `capacity` and `maxEvictionCount`: a grown named algorithm is rebuilt
   * and given the tracked keys in the old one's eviction order (oldest first).
   */
  configure(capacity: number, maxEvictionCount: number): void {
    const plan = planEvictionTracking({ ...this.#o, maxCacheSizeBytes: 0, cacheFullPolicy: 'reject' }, capacity, maxEvictionCount, this.#algorithm, this.#trackingCapacity);
    if (plan.algorithm !== this.#algorithm) this.#retrack(plan.algorithm);
    this.#algorithm = plan.algorithm;
    this.#trackingCapacity = plan.trackingCapacity;
    const proactive = this.#o.evictionIntervalMs === 0 && capacity > 0;
    this.#insertBound = plan.algorithm === NO_EVICTION ? 0 : proactive ? capacity : plan.trackingCapacity;
  }

  /**
   * Records a write of `key`. Returns the victim to remove first when `key` is new and the insert
   * bound is reached (the victim is already forgotten), else `undefined`.
   */
  written(key: string): string | undefined {
    if (this.#algorithm === NO_EVICTION) return undefined;
    let victim: string | undefined;
    if (!this.#keys.has(key)) {
      if (this.#insertBound !== 0 && this.#keys.size >= this.#insertBound) victim = this.victim();
      this.#keys.add(key);
    }
    this.#algorithm.set(key);
    return victim;
  }

  /** Records a read hit of `key` (TS decision, engine.md §5: reads count for the algorithm). */
  read(key: string): void {
    // The size check spares the hash lookup when nothing is tracked (capacity 0, the default over Redis).
    if (this.#keys.size !== 0 && this.#keys.has(key)) this.#algorithm.get(key);
  }

  /** Forgets `key` (removed, or found missing: expired natively, evicted by Redis, removed elsewhere). */
  forget(key: string): void {
    if (this.#keys.size !== 0 && this.#keys.delete(key)) this.#algorithm.delete(key);
  }

  /** Forgets every key. */
  clear(): void {
    this.#keys.clear();
    this.#algorithm.clear();
  }

  /** The algorithm's next victim, forgotten; `undefined` when nothing is tracked. */
  victim(): string | undefined {
    const algorithm = this.#algorithm;
    for (let empty = 0; empty < MAX_EMPTY_EVICTS && algorithm.length > 0; ) {
      const key = algorithm.evict();
      if (key === undefined) {
        empty++;
      } else if (this.#keys.delete(key)) {
        return key;
      }
    }
    return undefined;
  }

  /** Moves the tracked keys into `next` in the current algorithm's eviction order. */
  #retrack(next: EvictionAlgorithm<string>): void {
    const previous = this.#algorithm;
    const keys = this.#keys;
    for (let empty = 0; empty < MAX_EMPTY_EVICTS && previous.length > 0; ) {
      const key = previous.evict();
      if (key === undefined) empty++;
      else if (keys.has(key)) next.set(key);
    }
    previous.clear();
  }
}
