import { Pool } from 'undici';
import type { HistoryOp, OpKind, Outcome } from './history-checker';

/** A target node as the clients see it. */
export interface ClientTarget {
  readonly index: number;
  /** `http://host:port` of its client API. */
  readonly api: string;
}

export interface ClientOptions {
  /** Concurrent clients (≥ 8 in the schedules). */
  readonly clients: number;
  readonly keys: readonly string[];
  /** Pause between one client's operations, ms (pacing, not a wait for state). */
  readonly thinkMs: number;
  /** A request without an answer after this long is recorded as `unknown`. */
  readonly timeoutMs: number;
}

/**
 * Concurrent clients that record every invocation and completion (issue 21): each loops over
 * random PUT (unique value `c<client>-<seq>`), GET and DELETE of random keys on random nodes until
 * {@link ChaosClients.stop}. 2xx = ok (a GET's 404 = ok, read `null`); 4xx = fail; 5xx, timeouts
 * and connection errors = unknown.
 */
export class ChaosClients {
  readonly history: HistoryOp[] = [];
  readonly #pools = new Map<number, Pool>();
  readonly #targets: readonly ClientTarget[];
  readonly #o: ClientOptions;
  #running = false;
  #loops: Promise<void>[] = [];

  constructor(targets: readonly ClientTarget[], o: ClientOptions) {
    this.#targets = targets;
    this.#o = o;
    for (const t of targets) this.#pools.set(t.index, new Pool(t.api, { connections: o.clients, headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs, connectTimeout: o.timeoutMs }));
  }

  start(): void {
    this.#running = true;
    for (let c = 1; c <= this.#o.clients; c++) this.#loops.push(this.#loop(c));
  }

  /** Stops every client after its current operation; resolves when all returned. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
    this.#loops = [];
  }

  async close(): Promise<void> {
    await this.stop();
    await Promise.all([...this.#pools.values()].map((p) => p.destroy()));
  }

  async #loop(client: number): Promise<void> {
    let seq = 0;
    while (this.#running) {
      const target = this.#targets[Math.floor(Math.random() * this.#targets.length)];
      const key = this.#o.keys[Math.floor(Math.random() * this.#o.keys.length)];
      const r = Math.random();
      const kind: OpKind = r < 0.5 ? 'put' : r < 0.85 ? 'get' : 'delete';
      const value = kind === 'put' ? `c${client}-${++seq}` : undefined;
      this.history.push(await this.#invoke(client, target, kind, key, value));
      await new Promise((res) => setTimeout(res, this.#o.thinkMs * (0.5 + Math.random())));
    }
  }

  async #invoke(client: number, target: ClientTarget, kind: OpKind, key: string, value: string | undefined): Promise<HistoryOp> {
    const pool = this.#pools.get(target.index)!;
    const invokedAt = Date.now();
    let outcome: Outcome = 'unknown';
    let read: string | null | undefined = value;
    let detail: string | undefined;
    const signal = AbortSignal.timeout(this.#o.timeoutMs);
    try {
      const res = await pool.request({
        method: kind === 'put' ? 'PUT' : kind === 'get' ? 'GET' : 'DELETE',
        path: `/v1/cache/${encodeURIComponent(key)}`,
        body: value,
        headers: value === undefined ? {} : { 'content-type': 'application/octet-stream' },
        signal,
      });
      const text = Buffer.from(await res.body.arrayBuffer()).toString('utf8');
      const s = res.statusCode;
      if (kind === 'get' && s === 404) {
        outcome = 'ok';
        read = null;
      } else if (s >= 200 && s < 300) {
        outcome = 'ok';
        if (kind === 'get') read = text;
      } else {
        outcome = s >= 400 && s < 500 ? 'fail' : 'unknown';
        if (kind === 'get') read = undefined;
        detail = `${s} ${codeOf(text)}`;
      }
    } catch (e) {
      outcome = 'unknown';
      detail = (e as Error).name;
      if (kind === 'get') read = undefined;
    }
    return { client, node: target.index, kind, key, value: read, invokedAt, completedAt: Date.now(), outcome, ...(detail === undefined ? {} : { detail }) };
  }
}

/** The wire `code` of an error body, or its first characters. */
function codeOf(body: string): string {
  try {
    return String((JSON.parse(body) as { code?: unknown }).code);
  } catch {
    return body.slice(0, 40);
  }
}
