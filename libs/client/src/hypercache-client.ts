import { resolveClientOptions, type HypercacheClientOptions, type ResolvedClientOptions } from './client-options';
import { ClusterEvents, type ClusterEventsOptions } from './cluster-events';
import { Credentials } from './credentials';
import { BadRequestError, ProtocolError } from './errors';
import { NodePools } from './node-pools';
import { OperationKind } from './retry-policy';
import { Router, headerOf, type CallOptions, type RawResponse } from './router';
import type { Topology } from './topology';
import type {
  BatchDeleteResult,
  BatchGetItem,
  BatchPutItem,
  BatchPutResult,
  CacheItem,
  Capability,
  DeleteResult,
  Identity,
  ItemMeta,
  KeyBrowseOptions,
  KeyPage,
  OwnersResult,
  PutResult,
} from './wire-types';

/** Per-call options of a write. */
export interface PutOptions extends CallOptions {
  /** Time to live in ms; 0/absent = no expiry. */
  readonly ttlMs?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/**
 * Typed client of the HyperCache client API (client-api.md) with topology-aware routing: each key
 * goes straight to its owners (writes to the primary, reads to an owner), computed locally with the
 * server's ring function from `GET /v1/topology`; failover, retries and deadlines per
 * {@link CallOptions} and the client options. Keep-alive undici pools per node. `close()` is
 * idempotent and leaves no timer or socket open.
 */
export class HypercacheClient {
  readonly options: ResolvedClientOptions;
  readonly #pools: NodePools;
  readonly #router: Router;
  readonly #creds: Credentials;
  readonly #streams = new Set<ClusterEvents>();
  #closed = false;

  /** @throws InvalidClientOptionError naming the bad option. */
  constructor(options: HypercacheClientOptions) {
    this.options = resolveClientOptions(options);
    this.#pools = new NodePools(this.options);
    this.#creds = new Credentials(this.options);
    this.#router = new Router(this.options, this.#pools, this.#creds);
  }

  /** Loads the topology (optional: the first call does it). */
  async connect(): Promise<this> {
    await this.#router.ready();
    return this;
  }

  /** The value's bytes, or `null` on a miss. */
  async get(key: string, o?: CallOptions): Promise<Buffer | null> {
    const res = await this.#router.call(OperationKind.Read, key, { method: 'GET', path: keyPath(key), accept: [404] }, o);
    return res.status === 404 ? null : res.body;
  }

  /** The value as UTF-8 text, or `null`. */
  async getString(key: string, o?: CallOptions): Promise<string | null> {
    const b = await this.get(key, o);
    return b === null ? null : b.toString('utf8');
  }

  /** The value parsed as JSON, or `null` on a miss. */
  async getJson<T = unknown>(key: string, o?: CallOptions): Promise<T | null> {
    const s = await this.getString(key, o);
    return s === null ? null : (JSON.parse(s) as T);
  }

  /** The value with its version, TTL and owners (the JSON envelope), or `null`. */
  async getItem(key: string, o?: CallOptions): Promise<CacheItem | null> {
    const res = await this.#router.call(OperationKind.Read, key, { method: 'GET', path: keyPath(key), headers: { accept: 'application/json' }, accept: [404] }, o);
    if (res.status === 404) return null;
    const e = json<Record<string, unknown>>(res);
    return {
      key: e.key as string,
      value: Buffer.from(e.value as string, 'base64'),
      version: e.version as number,
      origin: e.origin as string | undefined,
      ttlMs: e.ttl_ms as number | undefined,
      expiresAt: e.expires_at as string | undefined,
      lastUpdated: e.last_updated as string | undefined,
      node: e.node as string,
      owners: e.owners as string[],
    };
  }

  /** Metadata without the value (`HEAD`), or `null` on a miss. */
  async head(key: string, o?: CallOptions): Promise<ItemMeta | null> {
    const res = await this.#router.call(OperationKind.Read, key, { method: 'HEAD', path: keyPath(key), accept: [404] }, o);
    if (res.status === 404) return null;
    const h = (n: string): string | undefined => headerOf(res, n);
    const ttl = h('x-cache-ttl-ms');
    return {
      version: Number(h('x-cache-version') ?? 0),
      origin: h('x-cache-origin'),
      lastUpdated: h('x-cache-last-updated'),
      ttlMs: ttl === undefined ? undefined : Number(ttl),
      expiresAt: h('x-cache-expires-at'),
      owners: h('x-cache-owners')?.split(',') ?? [],
      node: h('x-cache-node') ?? '',
    };
  }

  /** Stores bytes (a string is stored as UTF-8) with an optional TTL, on the key's primary. */
  async put(key: string, value: Uint8Array | string, o: PutOptions = {}): Promise<PutResult> {
    const body = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const q = ttlQuery(o.ttlMs);
    const res = await this.#router.call(OperationKind.Write, key, { method: 'PUT', path: `${keyPath(key)}${q}`, headers: { 'content-type': 'application/octet-stream' }, body }, o);
    const r = json<PutResult>(res);
    this.#router.observeOwners(key, r.owners);
    return r;
  }

  /** Stores `JSON.stringify(value)`. */
  putJson(key: string, value: unknown, o?: PutOptions): Promise<PutResult> {
    return this.put(key, JSON.stringify(value), o);
  }

  /** Removes a key (idempotent). */
  async delete(key: string, o?: CallOptions): Promise<DeleteResult> {
    const res = await this.#router.call(OperationKind.Write, key, { method: 'DELETE', path: keyPath(key) }, o);
    const r = json<DeleteResult>(res);
    this.#router.observeOwners(key, r.owners);
    return r;
  }

  /** Batch read, one request per primary node; results in input order. Empty input → no request. */
  async getMany(keys: readonly string[], o?: CallOptions): Promise<BatchGetItem[]> {
    return this.#batch(keys, (k) => k, OperationKind.Read, 'get', (part) => ({ keys: part }), (r: Record<string, unknown>) => ({
      key: r.key as string,
      found: r.found === true,
      value: r.found === true ? Buffer.from(r.value as string, 'base64') : undefined,
      version: r.version as number | undefined,
      origin: r.origin as string | undefined,
      ttlMs: r.ttl_ms as number | undefined,
      owners: r.owners as string[] | undefined,
    }), o);
  }

  /** Batch write (bytes are sent base64), one request per primary node; per-item results in input order. */
  async putMany(items: readonly BatchPutItem[], o?: CallOptions): Promise<BatchPutResult[]> {
    const wire = (i: BatchPutItem): Record<string, unknown> => ({
      key: i.key,
      value: typeof i.value === 'string' ? Buffer.from(i.value, 'utf8').toString('base64') : Buffer.from(i.value.buffer, i.value.byteOffset, i.value.byteLength).toString('base64'),
      value_encoding: 'base64',
      ...(i.ttlMs ? { ttl_ms: i.ttlMs } : {}),
    });
    return this.#batch(items, (i) => i.key, OperationKind.Write, 'put', (part) => ({ items: part.map(wire) }), (r) => r as unknown as BatchPutResult, o);
  }

  /** Batch delete, one request per primary node; per-item results in input order. */
  async deleteMany(keys: readonly string[], o?: CallOptions): Promise<BatchDeleteResult[]> {
    return this.#batch(keys, (k) => k, OperationKind.Write, 'delete', (part) => ({ keys: part }), (r) => r as unknown as BatchDeleteResult, o);
  }

  /** The owners the answering node computes for `key` (`GET /v1/owners/:key`). */
  async owners(key: string, o?: CallOptions): Promise<OwnersResult> {
    return json<OwnersResult>(await this.#router.call(OperationKind.Read, undefined, { method: 'GET', path: `/v1/owners/${encodeURIComponent(key)}` }, o));
  }

  /** Owners per the client's own ring (no request; `[]` before the topology is loaded). */
  localOwners(key: string): readonly string[] {
    return this.#router.ownersOf(key);
  }

  /** Every key matching `q` (prefix or glob), page by page (`GET /v1/cache/keys`). */
  async *keys(b: KeyBrowseOptions = {}, o?: CallOptions): AsyncGenerator<string, void, undefined> {
    for await (const page of this.keyPages(b, o)) yield* page.keys;
  }

  /** The key browser's pages, following `next_cursor`. */
  async *keyPages(b: KeyBrowseOptions = {}, o?: CallOptions): AsyncGenerator<KeyPage, void, undefined> {
    let cursor = '0';
    for (;;) {
      const p = new URLSearchParams({ cursor });
      if (b.q !== undefined) p.set('q', b.q);
      if (b.limit !== undefined) p.set('limit', String(b.limit));
      if (b.max !== undefined) p.set('max', String(b.max));
      const page = json<KeyPage>(await this.#router.call(OperationKind.Read, undefined, { method: 'GET', path: `/v1/cache/keys?${p}` }, o));
      yield page;
      if (page.next_cursor === '' || page.keys.length === 0) return;
      cursor = page.next_cursor;
    }
  }

  /** The caller's identity (`GET /v1/me`). */
  async me(o?: CallOptions): Promise<Identity> {
    return json<Identity>(await this.#router.call(OperationKind.Read, undefined, { method: 'GET', path: '/v1/me' }, o));
  }

  /** Whether the caller holds `capability` (`GET /v1/me/can`). */
  async can(capability: Capability, o?: CallOptions): Promise<boolean> {
    const r = json<{ allowed: boolean }>(await this.#router.call(OperationKind.Read, undefined, { method: 'GET', path: `/v1/me/can?capability=${encodeURIComponent(capability)}` }, o));
    return r.allowed;
  }

  /** Loads the topology now (single flight with every other refresh) and returns it. */
  async topology(): Promise<Topology> {
    const t = await this.#router.refreshTopology();
    if (t === undefined) throw new ProtocolError('PROTOCOL', 'no topology');
    return t;
  }

  /** The last topology loaded (no request). */
  get currentTopology(): Topology | undefined {
    return this.#router.topology;
  }

  /** Topology refreshes started so far. */
  get topologyRefreshes(): number {
    return this.#router.refreshes;
  }

  /**
   * The cluster's key changes (`GET /v1/events` on every member, deduplicated by key+version),
   * as an async iterator and an emitter, resuming with `Last-Event-ID`. Closed with the client.
   */
  events(o: ClusterEventsOptions = {}): ClusterEvents {
    const ev = new ClusterEvents(this.options, this.#pools, this.#creds, this.#router, o);
    this.#streams.add(ev);
    ev.onClose(() => this.#streams.delete(ev));
    void ev.start();
    return ev;
  }

  /** Closes event streams, the topology timer and every pool (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#router.close();
    await Promise.all([...this.#streams].map((s) => s.close()));
    await this.#pools.close();
  }

  async #batch<I, R>(
    items: readonly I[],
    keyOf: (i: I) => string,
    kind: OperationKind,
    op: 'get' | 'put' | 'delete',
    body: (part: I[]) => unknown,
    map: (r: Record<string, unknown>) => R,
    o: CallOptions | undefined,
  ): Promise<R[]> {
    if (items.length === 0) return [];
    await this.#router.ready();
    // Group by primary so each group is served without forwarding; order is restored below.
    const groups = new Map<string, number[]>();
    items.forEach((it, i) => {
      const primary = this.#router.ownersOf(keyOf(it))[0] ?? '';
      const g = groups.get(primary);
      if (g === undefined) groups.set(primary, [i]);
      else g.push(i);
    });
    const out = new Array<R>(items.length);
    await Promise.all(
      [...groups.values()].map(async (idx) => {
        const part = idx.map((i) => items[i]);
        // A batch is served item by item: it gets the whole call deadline, not one attempt's.
        const attemptTimeoutMs = o?.timeoutMs ?? this.options.timeoutMs;
        const req = { method: 'POST' as const, path: `/v1/cache/batch/${op}`, headers: JSON_HEADERS, body: JSON.stringify(body(part)), attemptTimeoutMs };
        const res = await this.#router.call(kind, keyOf(part[0]), req, o);
        const results = json<{ results: Array<Record<string, unknown>> }>(res).results;
        if (!Array.isArray(results) || results.length !== idx.length) throw new ProtocolError('PROTOCOL', `batch ${op}: ${idx.length} items sent, ${results?.length} results`);
        idx.forEach((i, j) => (out[i] = map(results[j])));
      }),
    );
    return out;
  }
}

function keyPath(key: string): string {
  if (typeof key !== 'string' || key.trim() === '') throw new BadRequestError('BAD_REQUEST', 'key must be a non-empty string');
  return `/v1/cache/${encodeURIComponent(key)}`;
}

function ttlQuery(ttlMs: number | undefined): string {
  if (ttlMs === undefined || ttlMs === 0) return '';
  if (!Number.isInteger(ttlMs) || ttlMs < 0) throw new BadRequestError('BAD_REQUEST', `ttlMs must be a non-negative integer, got ${ttlMs}`);
  return `?ttl=${ttlMs}ms`;
}

function json<T>(res: RawResponse): T {
  try {
    return JSON.parse(res.body.toString('utf8')) as T;
  } catch (err) {
    throw new ProtocolError('PROTOCOL', `${res.url} answered ${res.status} with a body that is not JSON`, res.status, res.url, { cause: err });
  }
}
