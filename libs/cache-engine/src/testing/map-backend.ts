// Test-only: a record backend over one Map that returns live records — exactly the in-memory
// backend the engine had before its slot store. Not an InMemoryBackend, so an engine over it takes
// the record path; specs compare that path with the slot path operation by operation.
import type { Backend } from '../backends/backend';
import type { CacheItem } from '../item';
import { applyListFilters, type ListFilter } from '../list-filters';

/** Map-backed {@link Backend} whose `get`/`list` return the live records (the engine mutates them). */
export class MapBackend<V = unknown> implements Backend<V> {
  readonly name = 'map';
  readonly #items = new Map<string, CacheItem<V>>();
  #capacity = 0;

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
    this.#capacity = capacity;
  }

  async stop(): Promise<void> {}
}
