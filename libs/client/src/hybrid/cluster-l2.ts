import type { L2Adapter } from '@hypercache/hybrid-cache';
import type { HypercacheClient } from '../hypercache-client';

/** Options of {@link ClusterL2}. */
export interface ClusterL2Options {
  /** Prepended to every key in the cluster (scopes `clear('')`). Default `''`. */
  readonly keyPrefix?: string;
  /** Where the tag index lives (cluster keys under `keyPrefix + tagNamespace`). Default `'__hc_tags/'`. */
  readonly tagNamespace?: string;
  /** Per-operation deadline in ms. Default: the client's `timeoutMs`. */
  readonly timeoutMs?: number;
}

/**
 * The cluster as a `@hypercache/hybrid-cache` L2 (hybrid-cache.md §11) over {@link HypercacheClient}:
 * topology-routed GET/PUT/DELETE, batch reads, `clear(prefix)` through the key browser plus batch
 * deletes. Tags: each tagged key has a marker `<ns>t/<tag>/<key>` and a record `<ns>k/<key>` of its
 * current tags (written with the value, same TTL; an untagged write deletes the record), so
 * `deleteByTag` deletes exactly the keys whose current tags include the tag.
 */
export class ClusterL2 implements L2Adapter {
  readonly #c: HypercacheClient;
  readonly #prefix: string;
  readonly #tags: string;
  readonly #timeoutMs: number | undefined;

  constructor(client: HypercacheClient, o: ClusterL2Options = {}) {
    this.#c = client;
    this.#prefix = o.keyPrefix ?? '';
    this.#tags = this.#prefix + (o.tagNamespace ?? '__hc_tags/');
    this.#timeoutMs = o.timeoutMs;
  }

  /** The cluster key of an L2 key. */
  clusterKey(key: string): string {
    return this.#prefix + key;
  }

  async get(key: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    return this.#c.get(this.#prefix + key, { signal, timeoutMs: this.#timeoutMs });
  }

  async getMany(keys: readonly string[], signal?: AbortSignal): Promise<Array<Uint8Array | null>> {
    const r = await this.#c.getMany(
      keys.map((k) => this.#prefix + k),
      { signal, timeoutMs: this.#timeoutMs },
    );
    return r.map((x) => (x.found ? (x.value ?? Buffer.alloc(0)) : null));
  }

  async set(key: string, value: Uint8Array, ttlMs: number, tags: readonly string[], signal?: AbortSignal): Promise<void> {
    const o = { signal, timeoutMs: this.#timeoutMs };
    const ttl = ttlMs > 0 ? Math.ceil(ttlMs) : 0;
    const record = `${this.#tags}k/${key}`;
    const side =
      tags.length === 0
        ? this.#c.delete(record, o)
        : this.#c.putMany([{ key: record, value: JSON.stringify(tags), ttlMs: ttl }, ...tags.map((t) => ({ key: this.#marker(t, key), value: '', ttlMs: ttl }))], o);
    await Promise.all([this.#c.put(this.#prefix + key, value, { ...o, ttlMs: ttl }), side]);
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.#c.delete(this.#prefix + key, { signal, timeoutMs: this.#timeoutMs });
  }

  async deleteByTag(tag: string, signal?: AbortSignal): Promise<void> {
    const o = { signal, timeoutMs: this.#timeoutMs };
    const markerPrefix = `${this.#tags}t/${tag}/`;
    const markers = await this.#list(markerPrefix, o);
    if (markers.length === 0) return;
    const keys = markers.map((m) => m.slice(markerPrefix.length));
    const records = await this.#c.getMany(
      keys.map((k) => `${this.#tags}k/${k}`),
      o,
    );
    const doomed = keys.filter((_, i) => {
      const r = records[i];
      if (!r.found || r.value === undefined) return false;
      try {
        return (JSON.parse(r.value.toString('utf8')) as string[]).includes(tag);
      } catch {
        return false;
      }
    });
    await this.#c.deleteMany([...doomed.map((k) => this.#prefix + k), ...doomed.map((k) => `${this.#tags}k/${k}`), ...markers], o);
  }

  async clear(prefix: string, signal?: AbortSignal): Promise<void> {
    const o = { signal, timeoutMs: this.#timeoutMs };
    const all = this.#prefix + prefix;
    // Repeat: the browser caps one listing at 50 000 keys.
    for (;;) {
      const keys = await this.#list(all, o);
      if (keys.length === 0) return;
      await this.#c.deleteMany(keys, o);
      if (keys.length < 50_000) return;
    }
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.#c.me({ signal, timeoutMs: this.#timeoutMs });
  }

  #marker(tag: string, key: string): string {
    return `${this.#tags}t/${tag}/${key}`;
  }

  /** Keys starting with `prefix` (literal even when it holds glob characters). */
  async #list(prefix: string, o: { signal?: AbortSignal; timeoutMs?: number }): Promise<string[]> {
    const literal = !/[*?[]/.test(prefix);
    const out: string[] = [];
    for await (const k of this.#c.keys({ q: literal ? prefix : undefined, limit: 500, max: 50_000 }, o)) if (k.startsWith(prefix)) out.push(k);
    return out;
  }
}
