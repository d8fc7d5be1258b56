import type { CacheItem } from '../item';
import { applyListFilters, type ListFilter } from '../list-filters';
import { InvalidOptionError } from '../errors';
import type { Backend } from './backend';

/** Options of {@link InMemoryBackend} (config.md B.2). */
export interface InMemoryBackendOptions {
  /** Max item count, 0 = unlimited (default 0); negative → error. */
  capacity?: number;
}

/** Validates an item capacity: a non-negative safe integer (config.md B.1 `capacity cannot be negative`). */
export function checkCapacity(option: string, capacity: number): number {
  if (!Number.isSafeInteger(capacity) || capacity < 0) {
    throw new InvalidOptionError(option, capacity, 'cannot be negative and must be an integer');
  }
  return capacity;
}

/**
 * The `in-memory` backend (engine.md §11). One `Map` instead of upstream's 32 XXH64-sharded maps:
 * sharding buys lock striping in Go, but Node has one thread, and hashing every key costs more than
 * it saves (bench/engine measures it). `get` returns the live record; the engine owns mutation.
 */
export class InMemoryBackend<V = unknown> implements Backend<V> {
  readonly name = 'in-memory';
  readonly #items = new Map<string, CacheItem<V>>();
  #capacity: number;

  constructor(options: InMemoryBackendOptions = {}) {
    this.#capacity = checkCapacity('capacity', options.capacity ?? 0);
  }

  get(key: string): CacheItem<V> | undefined {
    return this.#items.get(key);
  }

  set(item: CacheItem<V>): void {
    this.#items.set(item.key, item);
  }

  delete(key: string): boolean {
    return this.#items.delete(key);
  }

  list(filters: readonly ListFilter<V>[]): CacheItem<V>[] {
    return applyListFilters(Array.from(this.#items.values()), filters);
  }

  count(): number {
    return this.#items.size;
  }

  clear(): void {
    this.#items.clear();
  }

  capacity(): number {
    return this.#capacity;
  }

  setCapacity(capacity: number): void {
    this.#capacity = checkCapacity('capacity', capacity);
  }

  async stop(): Promise<void> {
    // Nothing to release; records stay readable after stop (as upstream).
  }
}
