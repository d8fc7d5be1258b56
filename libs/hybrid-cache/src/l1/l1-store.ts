import { defaultSizeOf } from '@hypercache/cache-engine';
import type { CacheEntry } from '../entry';
import type { CachePriority } from '../entry-options';
import type { Serializer } from '../serializers';
import type { L1Adapter } from './l1-adapter';

/** Invalidation instants of one tag: entries created at or before `deletedAt` are gone, before `expiredAt` stale. */
export interface TagStamp {
  deletedAt: number;
  expiredAt: number;
}

/** Cost charged when a value cannot be measured (not JSON-serializable). */
const UNMEASURABLE_BYTES = 1024;

/**
 * The cache's view of L1 (§4, §6, §7): physical expiry enforced on every read (TS MUST, §6), tag
 * invalidation by per-tag instants compared on read (no scans, no per-key index), an invalidation
 * generation that lets an in-flight L2 read detect that the key was invalidated meanwhile, and
 * auto-clone through the serializer.
 */
export class L1Store {
  readonly #l1: L1Adapter;
  readonly #serializer: Serializer | undefined;
  readonly #stamps = new Map<string, TagStamp>();
  readonly #measures: boolean;
  #last = 0;
  /** Bumped by every invalidation received or made; an L2 read started before a bump does not fill L1. */
  generation = 0;

  constructor(l1: L1Adapter, serializer: Serializer | undefined) {
    this.#l1 = l1;
    this.#serializer = serializer;
    this.#measures = l1.measuresCost !== false;
  }

  /** The adapter (for tests and stats). */
  get adapter(): L1Adapter {
    return this.#l1;
  }

  /**
   * The live entry of `key` (fresh or stale), or `undefined`: physically expired and tag-deleted
   * entries are removed; a tag-expired entry becomes stale.
   */
  lookup(key: string, now: number): CacheEntry | undefined {
    const e = this.#l1.get(key);
    if (e === undefined) return undefined;
    if (now >= e.physicalExpiry) {
      this.#l1.delete(key);
      return undefined;
    }
    if (e.tags !== undefined && this.#stamps.size !== 0 && !this.#applyStamps(e)) {
      this.#l1.delete(key);
      return undefined;
    }
    return e;
  }

  /** Stores an entry, measuring it when `bytes` is unknown and no explicit size was given. */
  put(key: string, e: CacheEntry, size: number, priority: CachePriority, serializedBytes?: number): void {
    const cost = size > 0 || !this.#measures ? size : (serializedBytes ?? measure(e.value));
    this.#l1.set(key, e, cost, priority);
  }

  /** Removes `key`. */
  delete(key: string): void {
    this.generation++;
    this.#l1.delete(key);
  }

  /** Marks the entry logically expired now, keeping its value for fail-safe (compare-and-swap, §7). */
  expire(key: string, now: number): void {
    this.generation++;
    const e = this.#l1.get(key);
    if (e === undefined || e.logicalExpiry <= now) return;
    this.#l1.compareAndSwap(key, e, { ...e, logicalExpiry: now, refreshing: false });
  }

  /** Replaces an entry by a copy whose logical expiry is `until` (fail-safe throttle, §6), physical unchanged. */
  throttle(key: string, e: CacheEntry, until: number, size: number, priority: CachePriority): void {
    const copy: CacheEntry = { ...e, logicalExpiry: Math.min(until, e.physicalExpiry), refreshing: false };
    const current = this.#l1.get(key);
    if (current === e) this.#l1.compareAndSwap(key, e, copy);
    else if (current === undefined || current.logicalExpiry <= until) this.put(key, copy, size || e.size, priority);
  }

  /** Records a tag invalidation instant (local op, backplane message, or L2 stamp); keeps the max. */
  stampTag(tag: string, kind: 'delete' | 'expire', at: number): void {
    this.generation++;
    let s = this.#stamps.get(tag);
    if (s === undefined) this.#stamps.set(tag, (s = { deletedAt: 0, expiredAt: 0 }));
    if (at > this.#last) this.#last = at;
    if (kind === 'delete') s.deletedAt = Math.max(s.deletedAt, at);
    else s.expiredAt = Math.max(s.expiredAt, at);
  }

  /** The local stamp of `tag`, if any. */
  stampOf(tag: string): TagStamp | undefined {
    return this.#stamps.get(tag);
  }

  /**
   * A strictly increasing instant (ms, with µs steps inside one millisecond) for tagged writes and
   * tag invalidations, so that in this process a write after an invalidation is always newer than
   * it, even within the same millisecond. Instants received from other instances are observed.
   */
  tick(now: number): number {
    const t = now > this.#last ? now : this.#last + 0.001;
    this.#last = t;
    return t;
  }

  /**
   * Applies tag stamps to an entry: false when a tag deleted it; a tag expiry caps its logical
   * expiry. Shared with L2 reads (their stamps are merged here first).
   */
  applyStampsTo(e: { createdAt: number; logicalExpiry: number; tags: readonly string[] | undefined }): boolean {
    return this.#applyStamps(e);
  }

  #applyStamps(e: { createdAt: number; logicalExpiry: number; tags: readonly string[] | undefined }): boolean {
    for (const t of e.tags!) {
      const s = this.#stamps.get(t);
      if (s === undefined) continue;
      if (e.createdAt <= s.deletedAt) return false;
      if (e.createdAt <= s.expiredAt && e.logicalExpiry > s.expiredAt) e.logicalExpiry = s.expiredAt;
    }
    return true;
  }

  /** Drops every entry (and, with `stamps`, the known tag instants). */
  clear(): void {
    this.generation++;
    this.#l1.clear();
  }

  /** A deep copy through the serializer (§3 `enableAutoClone`); the value itself without a serializer. */
  clone<T>(value: T): T {
    const s = this.#serializer;
    return s === undefined ? value : (s.deserialize(s.serialize(value)) as T);
  }

  /** Closes the adapter. */
  close(): Promise<void> {
    return this.#l1.close();
  }
}

function measure(value: unknown): number {
  try {
    return defaultSizeOf(value);
  } catch {
    return UNMEASURABLE_BYTES;
  }
}
