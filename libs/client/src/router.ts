import { loadXxhash64, type Xxhash64 } from '@hypercache/hashing';
import type { ResolvedClientOptions } from './client-options';
import type { Credentials } from './credentials';
import { AbortedError, HypercacheError, TimeoutError, UnavailableError, errorFromResponse } from './errors';
import type { NodePools } from './node-pools';
import { OperationKind, RetryPolicy } from './retry-policy';
import { SingleFlight } from './single-flight';
import { RingView, parseTopology, type Topology } from './topology';

/** One HTTP request of the client API. `path` is already escaped. */
export interface RawRequest {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  /** Statuses ≥ 400 that are answers, not errors (404 for a cache read). */
  readonly accept?: readonly number[];
  /** This request's attempt deadline in ms (default the client's `attemptTimeoutMs`; batches use the call's). */
  readonly attemptTimeoutMs?: number;
}

/** An answer: status, lower-case headers, the whole body, and the base URL that answered. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly url: string;
}

/** Per-call options of every client method. */
export interface CallOptions {
  /** Whole-call deadline in ms (default: the client's `timeoutMs`). */
  readonly timeoutMs?: number;
  /** Aborts the call (rejects with `AbortedError`). */
  readonly signal?: AbortSignal;
}

/** A node seen failing is tried last for this long (ms) unless the topology says otherwise. */
const DOWN_FOR_MS = 2_000;

/**
 * Sends each request to the right node: with `routing: 'topology'`, the owners computed locally
 * from `GET /v1/topology` (writes to the primary, reads to an owner), failing over to the next owner,
 * then any other member, then the seeds; with `pinned`, the first endpoint. A connection error or an
 * answer naming other owners than ours refreshes the topology once for all callers
 * ({@link SingleFlight}); a background refresh notices joins. Retries follow {@link RetryPolicy}.
 */
export class Router {
  readonly #o: ResolvedClientOptions;
  readonly #pools: NodePools;
  readonly #creds: Credentials;
  readonly #policy: RetryPolicy;
  readonly #refresh: SingleFlight<Topology | undefined>;
  readonly #down = new Map<string, number>();
  readonly #listeners = new Set<(t: Topology) => void>();
  #hasher: Xxhash64 | undefined;
  #ring: RingView | undefined;
  #topology: Topology | undefined;
  #urlOf = new Map<string, string>();
  #others: string[] = [];
  #timer: unknown;
  #closed = false;
  #ready: Promise<void> | undefined;
  #rr = 0;

  constructor(o: ResolvedClientOptions, pools: NodePools, creds: Credentials) {
    this.#o = o;
    this.#pools = pools;
    this.#creds = creds;
    this.#policy = new RetryPolicy(o.retry, o.random);
    this.#refresh = new SingleFlight(() => this.#fetchTopology());
  }

  /** The last topology loaded, if any. */
  get topology(): Topology | undefined {
    return this.#topology;
  }

  /** Topology refreshes started so far (tests observe the single flight). */
  get refreshes(): number {
    return this.#refresh.runs;
  }

  /** Calls `fn` with every newly loaded topology; returns the unsubscribe function. */
  onTopology(fn: (t: Topology) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Loads the hasher and, in topology mode, the first topology (a failure keeps the seeds). */
  ready(): Promise<void> {
    this.#ready ??= (async () => {
      this.#hasher = await loadXxhash64();
      if (this.#o.routing === 'topology') {
        await this.#refresh.run().catch(() => undefined);
        this.#arm();
      }
    })();
    return this.#ready;
  }

  /** Refreshes the topology now (joins a running refresh). */
  async refreshTopology(): Promise<Topology | undefined> {
    await this.ready();
    return this.#refresh.run();
  }

  /** Owners of `key` per the local ring (`[]` before a topology is loaded). */
  ownersOf(key: string): readonly string[] {
    if (this.#ring === undefined || this.#hasher === undefined) return [];
    return this.#ring.ownersOfHash(this.#hasher.hashString(key));
  }

  /** A server answer named `owners` for `key`: when ours differ, refresh in the background. */
  observeOwners(key: string, owners: readonly string[] | undefined): void {
    if (this.#o.routing !== 'topology' || owners === undefined || this.#ring === undefined) return;
    const ours = this.ownersOf(key);
    if (ours.length !== owners.length || ours.some((id, i) => id !== owners[i])) void this.#refresh.run().catch(() => undefined);
  }

  /** The client-API base URL of member `id`, if known. */
  urlOf(id: string): string | undefined {
    return this.#urlOf.get(id);
  }

  /** Stops the background refresh (idempotent). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Sends `req` for `key` (undefined = any node) with failover and retries per `kind`.
   * @throws HypercacheError subclasses by the server's code, TimeoutError, AbortedError, UnavailableError.
   */
  async call(kind: OperationKind, key: string | undefined, req: RawRequest, opts: CallOptions = {}): Promise<RawResponse> {
    if (this.#closed) throw new HypercacheError('CLOSED', 'the client is closed');
    await this.ready();
    const o = this.#o;
    const deadline = o.now() + (opts.timeoutMs ?? o.timeoutMs);
    const tried = new Set<string>();
    let authRetried = false;
    for (let attempt = 1; ; attempt++) {
      if (opts.signal?.aborted) throw new AbortedError({ cause: opts.signal.reason });
      const targets = this.#targets(key, kind);
      let url = targets.find((u) => !tried.has(u));
      if (url === undefined) {
        tried.clear();
        url = targets[0];
      }
      tried.add(url);
      try {
        const res = await this.#send(url, req, deadline, opts.signal);
        if (res.status >= 400 && !req.accept?.includes(res.status)) {
          throw errorFromResponse(res.status, res.body.toString('utf8'), headerOf(res, 'x-cache-node') ?? url);
        }
        return res;
      } catch (err) {
        if (err instanceof HypercacheError && err.status === 401 && this.#creds.refreshable && !authRetried) {
          authRetried = true;
          this.#creds.invalidate();
          tried.delete(url);
          continue;
        }
        const delay = this.#policy.next(kind, attempt, err);
        if (err instanceof UnavailableError || (err instanceof HypercacheError && err.code === 'ATTEMPT_TIMEOUT')) {
          this.#down.set(url, o.now() + DOWN_FOR_MS);
          if (o.routing === 'topology') void this.#refresh.run().catch(() => undefined);
        }
        if (delay === undefined || o.now() + delay >= deadline) {
          if (err instanceof HypercacheError && err.code === 'ATTEMPT_TIMEOUT') throw new TimeoutError(opts.timeoutMs ?? o.timeoutMs, { cause: err });
          throw err;
        }
        if (delay > 0) await this.#sleep(delay, opts.signal);
      }
    }
  }

  /** Candidate base URLs, best first: owners (not recently down), other members, seeds. */
  #targets(key: string | undefined, kind: OperationKind): string[] {
    const o = this.#o;
    if (o.routing === 'pinned') return [...o.endpoints];
    const out: string[] = [];
    const later: string[] = [];
    const now = o.now();
    const push = (u: string | undefined): void => {
      if (u === undefined || out.includes(u) || later.includes(u)) return;
      ((this.#down.get(u) ?? 0) > now ? later : out).push(u);
    };
    if (key !== undefined) {
      const owners = this.ownersOf(key);
      const start = kind === OperationKind.Read && o.readFrom === 'any-owner' && owners.length > 0 ? Math.floor(o.random() * owners.length) : 0;
      for (let i = 0; i < owners.length; i++) push(this.#urlOf.get(owners[(start + i) % owners.length]));
    }
    const others = this.#others;
    const r = others.length === 0 ? 0 : this.#rr++ % others.length;
    for (let i = 0; i < others.length; i++) push(others[(r + i) % others.length]);
    for (const e of o.endpoints) push(e);
    return [...out, ...later];
  }

  async #send(url: string, req: RawRequest, deadline: number, signal: AbortSignal | undefined): Promise<RawResponse> {
    const o = this.#o;
    const remaining = deadline - o.now();
    if (remaining <= 0) throw new TimeoutError(deadline - o.now());
    const ac = new AbortController();
    let attemptTimedOut = false;
    const timer = o.timers.setTimeout(() => {
      attemptTimedOut = true;
      ac.abort();
    }, Math.min(req.attemptTimeoutMs ?? o.attemptTimeoutMs, remaining));
    const onAbort = (): void => ac.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const auth = await this.#creds.header();
      const headers: Record<string, string> = { ...req.headers };
      if (auth !== undefined) headers.authorization = auth;
      const res = await this.#pools.get(url).request({ path: req.path, method: req.method, headers, body: req.body, signal: ac.signal });
      const body = req.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(await res.body.arrayBuffer());
      if (req.method === 'HEAD') await res.body.dump().catch(() => undefined);
      return { status: res.statusCode, headers: res.headers, body, url };
    } catch (err) {
      if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
      if (attemptTimedOut) {
        if (o.now() >= deadline) throw new TimeoutError(o.timeoutMs, { cause: err });
        throw new HypercacheError('ATTEMPT_TIMEOUT', `no answer from ${url} within ${req.attemptTimeoutMs ?? o.attemptTimeoutMs} ms`, 0, url, { cause: err });
      }
      if (err instanceof HypercacheError) throw err;
      throw new UnavailableError('UNAVAILABLE', `${url}: ${err instanceof Error ? err.message : String(err)}`, 0, url, { cause: err });
    } finally {
      o.timers.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#o.timers.clearTimeout(t);
        reject(new AbortedError({ cause: signal?.reason }));
      };
      const t = this.#o.timers.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async #fetchTopology(): Promise<Topology | undefined> {
    const candidates = [...new Set([...this.#others, ...this.#o.endpoints])];
    let last: unknown;
    for (const url of candidates) {
      try {
        const res = await this.#send(url, { method: 'GET', path: '/v1/topology', headers: { accept: 'application/json' } }, this.#o.now() + this.#o.attemptTimeoutMs, undefined);
        if (res.status !== 200) throw errorFromResponse(res.status, res.body.toString('utf8'), url);
        const t = parseTopology(JSON.parse(res.body.toString('utf8')), url);
        this.#install(t);
        return t;
      } catch (err) {
        last = err;
      }
    }
    throw last instanceof Error ? last : new UnavailableError('UNAVAILABLE', 'no node answered GET /v1/topology');
  }

  #install(t: Topology): void {
    const previous = this.#topology;
    const urlOf = new Map<string, string>();
    const others: string[] = [];
    for (const m of t.members) {
      if (m.apiUrl === null || m.state === 'dead') continue;
      const url = m.apiUrl.replace(/\/+$/, '');
      urlOf.set(m.id, url);
      others.push(url);
      // The topology says the node is back: forget a local "down" mark older than this answer.
      if (m.state === 'alive' && previous !== undefined && !previous.members.some((p) => p.id === m.id && p.state === 'alive')) this.#down.delete(url);
    }
    for (const url of this.#pools.urls()) if (!others.includes(url) && !this.#o.endpoints.includes(url)) this.#pools.forget(url);
    // The ring is rebuilt only when its version moves (the members' states may change alone).
    if (previous === undefined || previous.ringVersion !== t.ringVersion) this.#ring = new RingView(t);
    this.#topology = t;
    this.#urlOf = urlOf;
    this.#others = others;
    for (const fn of this.#listeners) fn(t);
  }

  #arm(): void {
    const every = this.#o.topologyRefreshIntervalMs;
    if (every === 0 || this.#closed) return;
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = undefined;
      void this.#refresh
        .run()
        .catch(() => undefined)
        .finally(() => this.#arm());
    }, every);
  }
}

/** A response header as one string (first value). */
export function headerOf(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
