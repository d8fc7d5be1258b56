import type { L2Adapter } from './l2-adapter';

/** Options of {@link MemoryL2}. */
export interface MemoryL2Options {
  /** Clock in epoch ms for TTLs (default `Date.now`). */
  now?: () => number;
}

interface Stored {
  bytes: Uint8Array;
  expiresAt: number;
  tags: readonly string[];
}

/**
 * In-memory L2 for tests and single-process use (§11): lazy expiry on read, a tag → keys index.
 * Share one instance between several caches to simulate a shared L2. Bytes are copied in and out,
 * as a network store would.
 */
export class MemoryL2 implements L2Adapter {
  readonly #now: () => number;
  readonly #data = new Map<string, Stored>();
  readonly #tags = new Map<string, Set<string>>();

  constructor(o: MemoryL2Options = {}) {
    this.#now = o.now ?? Date.now;
  }

  /** Number of stored keys (expired-but-unread included). */
  get size(): number {
    return this.#data.size;
  }

  async get(key: string): Promise<Uint8Array | null> {
    const s = this.#live(key);
    return s === undefined ? null : Uint8Array.from(s.bytes);
  }

  async getMany(keys: readonly string[]): Promise<Array<Uint8Array | null>> {
    return keys.map((k) => {
      const s = this.#live(k);
      return s === undefined ? null : Uint8Array.from(s.bytes);
    });
  }

  async set(key: string, value: Uint8Array, ttlMs: number, tags: readonly string[]): Promise<void> {
    this.#unlink(key);
    this.#data.set(key, { bytes: Uint8Array.from(value), expiresAt: ttlMs > 0 ? this.#now() + ttlMs : 0, tags: [...tags] });
    for (const t of tags) {
      let keys = this.#tags.get(t);
      if (keys === undefined) this.#tags.set(t, (keys = new Set()));
      keys.add(key);
    }
  }

  async delete(key: string): Promise<void> {
    this.#unlink(key);
    this.#data.delete(key);
  }

  async deleteByTag(tag: string): Promise<void> {
    const keys = this.#tags.get(tag);
    if (keys === undefined) return;
    for (const k of [...keys]) await this.delete(k);
    this.#tags.delete(tag);
  }

  async clear(prefix: string): Promise<void> {
    for (const k of [...this.#data.keys()]) if (k.startsWith(prefix)) await this.delete(k);
  }

  async ping(): Promise<void> {
    // Always reachable.
  }

  #live(key: string): Stored | undefined {
    const s = this.#data.get(key);
    if (s === undefined) return undefined;
    if (s.expiresAt !== 0 && this.#now() >= s.expiresAt) {
      this.#unlink(key);
      this.#data.delete(key);
      return undefined;
    }
    return s;
  }

  #unlink(key: string): void {
    const s = this.#data.get(key);
    if (s === undefined) return;
    for (const t of s.tags) {
      const keys = this.#tags.get(t);
      keys?.delete(key);
      if (keys?.size === 0) this.#tags.delete(t);
    }
  }
}
