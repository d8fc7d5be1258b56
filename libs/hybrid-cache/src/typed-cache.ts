import type { EntryOptionsInput } from './entry-options';
import { TypeMismatchError } from './errors';
import type { Factory } from './factory-context';
import type { GetResult, HybridCache } from './hybrid-cache';

/** A runtime check of a value's type (§1 typed helpers: TS needs a caller-supplied guard). */
export type TypeGuard<T> = (value: unknown) => value is T;

/**
 * Typed view of a cache (§1): values failing the guard reject with `TypeMismatchError`
 * (`cache: type mismatch: want X, got Y`); a `null`/`undefined` factory result yields `zero`.
 */
export class TypedCache<T> {
  constructor(
    readonly cache: HybridCache,
    readonly guard: TypeGuard<T>,
    readonly typeName: string,
    readonly zero?: T,
  ) {}

  /** `get` with a type check. */
  async get(key: string, options?: EntryOptionsInput): Promise<GetResult<T>> {
    const r = await this.cache.get<unknown>(key, options);
    if (r.found && !this.guard(r.value)) throw new TypeMismatchError(key, this.typeName, typeNameOf(r.value));
    return r as GetResult<T>;
  }

  /** `getOrSet` with a type check; a nil factory result becomes `zero` without error. */
  async getOrSet(key: string, factory: Factory<T>, options?: EntryOptionsInput): Promise<T> {
    const v = await this.cache.getOrSet<unknown>(key, factory as Factory<unknown>, options);
    if (v === null || v === undefined) return this.zero as T;
    if (!this.guard(v)) throw new TypeMismatchError(key, this.typeName, typeNameOf(v));
    return v;
  }
}

function typeNameOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
