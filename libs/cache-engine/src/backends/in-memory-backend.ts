import type { CacheItem } from '../item';
import type { ListFilter } from '../list-filters';
import { InvalidOptionError } from '../errors';
import { NO_EVICTION } from '../eviction-algorithm';
import { KeyedSlotTracker } from '../keyed-slot-tracker';
import type { Backend } from './backend';
import { SlotStore } from './slot-store';

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

let storeOf: <V>(backend: InMemoryBackend<V>) => SlotStore<V>;

/**
 * The `in-memory` backend (engine.md §11). One index instead of upstream's 32 XXH64-sharded maps:
 * sharding buys lock striping in Go, but Node has one thread, and hashing every key costs more than
 * it saves (bench/engine measures it).
 *
 * Records live as columns indexed by slot (see `SlotStore`), like lru-cache's layout: a
 * `HyperCache` over this backend addresses them by the slot of its eviction algorithm, so a read hit
 * is a single hash lookup and no per-item object is retained. Through the {@link Backend} seam
 * (every method answers synchronously), `get` and `list` return fresh copies.
 */
export class InMemoryBackend<V = unknown> implements Backend<V> {
  readonly name = 'in-memory';
  readonly #store = new SlotStore<V>(new KeyedSlotTracker(NO_EVICTION));
  #capacity: number;

  static {
    storeOf = (backend) => backend.#store;
  }

  constructor(options: InMemoryBackendOptions = {}) {
    this.#capacity = checkCapacity('capacity', options.capacity ?? 0);
  }

  /** A fresh copy of the stored record, or `undefined`. */
  get(key: string): CacheItem<V> | undefined {
    const slot = this.#store.find(key);
    return slot === 0 ? undefined : this.#store.materialize(slot);
  }

  /** Stores `item` (every field as given), inserting or replacing by key. */
  set(item: CacheItem<V>): void {
    this.#store.put(item);
  }

  /** Deletes one key; `true` when it existed. */
  delete(key: string): boolean {
    const slot = this.#store.find(key);
    if (slot === 0) return false;
    this.#store.delete(slot);
    return true;
  }

  /** Removes `keys` (missing ones are fine); how many existed. */
  remove(keys: readonly string[]): number {
    let removed = 0;
    for (const key of keys) if (this.delete(key)) removed++;
    return removed;
  }

  /** Fresh copies in insertion order (an overwrite keeps its place) after applying `filters`. */
  list(filters: readonly ListFilter<V>[]): CacheItem<V>[] {
    return this.#store.list(filters);
  }

  count(): number {
    return this.#store.count;
  }

  clear(): void {
    this.#store.clear();
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

/** The slot store of `backend` (internal: `HyperCache` works on it directly, never through the seam). */
export function slotStoreOf<V>(backend: InMemoryBackend<V>): SlotStore<V> {
  return storeOf(backend);
}
