import { Pool, type Dispatcher } from 'undici';
import type { ResolvedClientOptions } from './client-options';

/** One keep-alive undici {@link Pool} per node base URL, created on first use. */
export class NodePools {
  readonly #o: ResolvedClientOptions;
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(o: ResolvedClientOptions) {
    this.#o = o;
  }

  /** The pool of `baseUrl`. */
  get(baseUrl: string): Pool {
    let p = this.#pools.get(baseUrl);
    if (p === undefined) {
      if (this.#closed) throw new Error('client is closed');
      const tls = this.#o.tls;
      p = new Pool(baseUrl, {
        connections: this.#o.connectionsPerNode,
        keepAliveTimeout: 30_000,
        // A node answers within the call's deadlines; these only bound a silent socket.
        headersTimeout: 0,
        bodyTimeout: 0,
        connect: tls === undefined ? undefined : ({ ca: tls.ca as string[] | undefined, cert: tls.cert, key: tls.key, servername: tls.servername, rejectUnauthorized: tls.rejectUnauthorized ?? true } as Pool.Options['connect']),
      });
      this.#pools.set(baseUrl, p);
    }
    return p;
  }

  /** Drops the pool of a node that left (open requests finish). */
  forget(baseUrl: string): void {
    const p = this.#pools.get(baseUrl);
    if (p === undefined) return;
    this.#pools.delete(baseUrl);
    void p.close().catch(() => undefined);
  }

  /** Base URLs with a pool. */
  urls(): string[] {
    return [...this.#pools.keys()];
  }

  /** Closes every pool, aborting open requests (idempotent). */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(all.map((p) => p.destroy().catch(() => undefined)));
  }
}

/** The dispatcher type the pools hand out (for streaming requests). */
export type NodeDispatcher = Dispatcher;
