// Test-only helpers for the cache-engine specs (not exported from index.ts). The tiny LRU stands in
// for @hypercache/eviction where a spec needs an exact, model-checkable eviction order.
import type { EvictionAlgorithm, NamedAlgorithmFactory } from '../eviction-algorithm';
import { HyperCache } from '../hyper-cache';
import type { HyperCacheOptions } from '../hyper-cache-options';

/** Map-based LRU: insertion order of the Map = recency order (oldest first). */
export class TinyLru implements EvictionAlgorithm<string> {
  readonly name = 'tiny-lru';
  readonly #keys = new Map<string, true>();
  constructor(readonly capacity = Number.MAX_SAFE_INTEGER) {}
  get length(): number {
    return this.#keys.size;
  }
  set(key: string): void {
    if (this.#keys.delete(key) || this.#keys.size < this.capacity) {
      this.#keys.set(key, true);
      return;
    }
    if (this.capacity === 0) return;
    this.evict(); // upstream-like: silently drop own victim when full
    this.#keys.set(key, true);
  }
  get(key: string): boolean {
    if (!this.#keys.delete(key)) return false;
    this.#keys.set(key, true);
    return true;
  }
  delete(key: string): boolean {
    return this.#keys.delete(key);
  }
  evict(): string | undefined {
    const first = this.#keys.keys().next();
    if (first.done) return undefined;
    this.#keys.delete(first.value);
    return first.value;
  }
  clear(): void {
    this.#keys.clear();
  }
  /** Oldest first. */
  keys(): string[] {
    return [...this.#keys.keys()];
  }
}

/** Factory resolving `lru` to {@link TinyLru}; records every created instance. */
export function tinyLruFactory(): NamedAlgorithmFactory & { created: TinyLru[] } {
  const created: TinyLru[] = [];
  const f = (name: string, capacity: number): TinyLru => {
    if (name !== 'lru') throw new Error(`algorithm not found: ${name}`);
    const a = new TinyLru(capacity);
    created.push(a);
    return a;
  };
  return Object.assign(f, { created });
}

/** A manual clock in epoch ms. */
export class FakeClock {
  constructor(public ms = 1_700_000_000_000) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** An engine on a fake clock with the tiny LRU; no loops unless started. */
export function cacheOf<V = unknown>(o: HyperCacheOptions<V> = {}, clock = new FakeClock()): HyperCache<V> {
  return new HyperCache<V>({ now: clock.now, evictionAlgorithm: 'lru', evictionAlgorithmFactory: tinyLruFactory(), ...o });
}

/** Polls `check` until it returns true or `timeoutMs` passes (never sleep for state). */
export async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before deadline');
    await new Promise((r) => setImmediate(r));
  }
}

/** Catches a thrown/rejected error for `code` assertions. */
export function errorOf(fn: () => unknown): { code?: string; name?: string } {
  try {
    fn();
  } catch (err) {
    return err as { code?: string };
  }
  throw new Error('expected an error');
}
