import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { Backend } from '../backends/backend';
import type { CacheItem } from '../item';
import type { ListFilter } from '../list-filters';

/**
 * Test double: makes any {@link Backend} answer the way a networked one does. Every call is queued
 * when it is made and served in call order, each one a macrotask after the previous (like commands
 * on one Redis connection: FIFO, answered later), so a caller that awaited nothing between two calls
 * sees both served in that order and never inside its own synchronous frame. `served` records each
 * call as it is served (`get:k`, `set:k`, `remove:k,l`, `list`, `count`, `clear`).
 */
export class DeferredBackend<V = unknown> implements Backend<V> {
  readonly name: string;
  /** Calls in the order they were served. */
  readonly served: string[] = [];
  readonly #inner: Backend<V>;
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  constructor(inner: Backend<V>) {
    this.#inner = inner;
    this.name = `deferred-${inner.name}`;
  }

  /** Calls queued and not served yet. */
  get pending(): number {
    return this.#pending;
  }

  get(key: string): Promise<CacheItem<V> | undefined> {
    return this.#serve(`get:${key}`, () => this.#inner.get(key));
  }

  set(item: CacheItem<V>): Promise<void> {
    // Stored as a copy made at call time, as a client serializes the command when it is issued.
    const copy = { ...item };
    return this.#serve(`set:${item.key}`, () => this.#inner.set(copy));
  }

  remove(keys: readonly string[]): Promise<number> {
    const copy = [...keys];
    return this.#serve(`remove:${copy.join(',')}`, () => this.#inner.remove(copy));
  }

  list(filters: readonly ListFilter<V>[]): Promise<CacheItem<V>[]> {
    return this.#serve('list', () => this.#inner.list(filters));
  }

  count(): Promise<number> {
    return this.#serve('count', () => this.#inner.count());
  }

  clear(): Promise<void> {
    return this.#serve('clear', () => this.#inner.clear());
  }

  capacity(): number {
    return this.#inner.capacity();
  }

  setCapacity(capacity: number): void {
    this.#inner.setCapacity(capacity);
  }

  stop(): Promise<void> {
    return this.#serve('stop', () => this.#inner.stop());
  }

  #serve<T>(call: string, run: () => T | Promise<T>): Promise<T> {
    this.#pending++;
    const served = this.#tail.then(async () => {
      await nextMacrotask();
      this.#pending--;
      this.served.push(call);
      return run();
    });
    this.#tail = served.catch(() => undefined);
    return served;
  }
}
