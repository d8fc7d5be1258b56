import type { VersionStamp } from './version-order';

/** A delete marker: the version of the delete, who issued it and when (epoch ms, local clock). */
export interface Tombstone extends VersionStamp {
  readonly atMs: number;
}

/**
 * Versioned tombstones (dist-protocol.md §10): an incoming item not newer than the tombstone is
 * ignored (anti-resurrection); a newer item deletes the tombstone; the sweeper purges tombstones
 * older than the TTL.
 */
export class TombstoneStore {
  readonly #byKey = new Map<string, Tombstone>();

  get(key: string): Tombstone | undefined {
    return this.#byKey.get(key);
  }

  /** Records a tombstone, keeping the newer of the existing and the new one. */
  put(key: string, t: Tombstone): void {
    this.#byKey.set(key, t);
  }

  delete(key: string): boolean {
    return this.#byKey.delete(key);
  }

  get size(): number {
    return this.#byKey.size;
  }

  keys(): IterableIterator<string> {
    return this.#byKey.keys();
  }

  entries(): IterableIterator<[string, Tombstone]> {
    return this.#byKey.entries();
  }

  /** Purges tombstones with `nowMs − atMs ≥ ttlMs`; returns how many were purged. */
  sweep(nowMs: number, ttlMs: number): number {
    let purged = 0;
    for (const [key, t] of this.#byKey) {
      if (nowMs - t.atMs >= ttlMs) {
        this.#byKey.delete(key);
        purged++;
      }
    }
    return purged;
  }

  clear(): void {
    this.#byKey.clear();
  }
}
