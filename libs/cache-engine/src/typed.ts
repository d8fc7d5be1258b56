import type { CacheService, GetMultipleResult } from './cache-service';
import { KeyNotFoundError, TypeMismatchError, type CacheError } from './errors';
import type { CacheItem } from './item';

/** Runtime type guard a {@link Typed} view checks stored values with. */
export type TypeGuard<V> = (value: unknown) => value is V;

/**
 * Typed view over an engine (engine.md §10). Does not own the engine; several views may share one
 * engine over disjoint key spaces. "Type" is the guard given at construction.
 */
export class Typed<V> {
  readonly #cache: CacheService<unknown>;
  readonly #isV: TypeGuard<V>;

  constructor(cache: CacheService<unknown>, guard: TypeGuard<V>) {
    this.#cache = cache;
    this.#isV = guard;
  }

  /** Plain set. */
  set(key: string, value: V, ttlMs?: number): Readonly<CacheItem<V>> {
    return this.#cache.set(key, value, ttlMs) as Readonly<CacheItem<V>>;
  }

  /** Miss, expired or wrong type → `undefined` (fail-soft). */
  get(key: string): V | undefined {
    const v = this.#cache.get(key);
    return v !== undefined && this.#isV(v) ? v : undefined;
  }

  /** Miss/expired → throws `KeyNotFoundError`; wrong type → `TypeMismatchError`. */
  getTyped(key: string): V {
    const v = this.#cache.get(key);
    if (v === undefined) throw new KeyNotFoundError(key);
    if (!this.#isV(v)) throw new TypeMismatchError(key);
    return v;
  }

  /** `{item, value}` on a typed hit; `undefined` on miss, expiry or wrong type. */
  getWithInfo(key: string): { item: Readonly<CacheItem<V>>; value: V } | undefined {
    const item = this.#cache.getWithInfo(key);
    if (item === undefined || !this.#isV(item.value)) return undefined;
    return { item: item as Readonly<CacheItem<V>>, value: item.value };
  }

  /** Like the engine's `getOrSet`; an existing wrong-typed value rejects `TypeMismatchError` (never overwritten). */
  async getOrSet(key: string, loader: V | (() => V | Promise<V>), ttlMs?: number): Promise<V> {
    const v = await this.#cache.getOrSet(key, loader, ttlMs);
    if (!this.#isV(v)) throw new TypeMismatchError(key);
    return v;
  }

  /** Like the engine's `getMultiple`; wrong-typed hits move to `failed` as `TypeMismatchError`. */
  getMultiple(keys: readonly string[]): GetMultipleResult<V> {
    const { found, failed } = this.#cache.getMultiple(keys);
    const typed = new Map<string, V>();
    const errors: Map<string, CacheError> = failed;
    for (const [key, v] of found) {
      if (this.#isV(v)) typed.set(key, v);
      else errors.set(key, new TypeMismatchError(key));
    }
    return { found: typed, failed: errors };
  }

  /** Pass-through; returns how many existed. */
  remove(...keys: string[]): number {
    return this.#cache.remove(...keys);
  }

  /** Pass-through: clears the whole engine, not only this view's keys. */
  clear(): void {
    this.#cache.clear();
  }
}
