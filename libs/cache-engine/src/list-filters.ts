import type { CacheItem } from './item';
import { InvalidSortFieldError } from './errors';

/** Sortable item fields (engine.md §6). `Size` is declared but rejected, as upstream. */
export const SortField = {
  Key: 'Key',
  LastAccess: 'LastAccess',
  AccessCount: 'AccessCount',
  Expiration: 'Expiration',
  Size: 'Size',
} as const;
/** One of {@link SortField}. */
export type SortField = (typeof SortField)[keyof typeof SortField];

/**
 * A list filter (engine.md §6). Structured data rather than a closure so every backend (in-memory,
 * distributed, Redis) applies the same filters through {@link applyListFilters}.
 */
export type ListFilter<V = unknown> =
  | { readonly kind: 'sortBy'; readonly field: string }
  | { readonly kind: 'sortOrderAsc'; readonly ascending: boolean }
  | { readonly kind: 'filterFunc'; readonly predicate: (item: Readonly<CacheItem<V>>) => boolean };

/** Sorts ascending by `field` (`Key`, `LastAccess`, `AccessCount`, `Expiration` = TTL). Others → `invalid sort field` when applied (engine.md §6). */
export function sortBy<V = unknown>(field: SortField | string): ListFilter<V> {
  return { kind: 'sortBy', field };
}

/** `false` reverses the current order (it does not sort); `true` is a no-op (engine.md §6). */
export function sortOrderAsc<V = unknown>(ascending: boolean): ListFilter<V> {
  return { kind: 'sortOrderAsc', ascending };
}

/** Keeps items for which `predicate` is true (engine.md §6). */
export function filterFunc<V = unknown>(predicate: (item: Readonly<CacheItem<V>>) => boolean): ListFilter<V> {
  return { kind: 'filterFunc', predicate };
}

type Compare = (a: Readonly<CacheItem<unknown>>, b: Readonly<CacheItem<unknown>>) => number;

const COMPARATORS: Readonly<Record<string, Compare>> = {
  Key: (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  LastAccess: (a, b) => a.lastAccessMs - b.lastAccessMs,
  AccessCount: (a, b) => a.accessCount - b.accessCount,
  Expiration: (a, b) => a.ttlMs - b.ttlMs,
};

/**
 * Applies `filters` in order, each on the output of the previous (engine.md §6). Sorting is
 * stable. May reorder `items` in place; returns the resulting array. Throws
 * {@link InvalidSortFieldError} for `Size` and unknown fields.
 */
export function applyListFilters<V>(items: CacheItem<V>[], filters: readonly ListFilter<V>[]): CacheItem<V>[] {
  let out = items;
  for (const f of filters) {
    switch (f.kind) {
      case 'sortBy': {
        const compare = Object.hasOwn(COMPARATORS, f.field) ? COMPARATORS[f.field] : undefined;
        if (compare === undefined) throw new InvalidSortFieldError(f.field);
        out.sort(compare);
        break;
      }
      case 'sortOrderAsc':
        if (!f.ascending) out.reverse();
        break;
      case 'filterFunc':
        out = out.filter((item) => f.predicate(item));
        break;
    }
  }
  return out;
}
