import type { ResolvedClientOptions } from './client-options';
import type { Credentials } from './credentials';
import type { NodePools } from './node-pools';
import { SseParser, type SseFrame } from './sse-parser';

/** A key change as `GET /v1/events` reports it (`clear` has no key). */
export interface KeyChange {
  readonly type: 'set' | 'delete' | 'expire' | 'clear';
  readonly key?: string;
  readonly version?: number;
  readonly origin?: string;
  /** The node whose local store changed. */
  readonly node: string;
  /** The event id `<epoch>-<seq>`. */
  readonly id: string;
}

/** Why a stream may have missed events: the subscriber must drop what it cached from before. */
export type LossReason = 'disconnect' | 'heartbeat' | 'gap' | 'reset:epoch' | 'reset:evicted' | 'reset:overflow' | `reset:${string}`;

/** What a {@link NodeEventStream} reports. */
export interface NodeStreamSink {
  change(c: KeyChange): void;
  /** Events may have been missed (stream lost, reset, gap); `node` is the stream's node id or URL. */
  lost(node: string, reason: LossReason): void;
  /** The stream's health flipped (connected and receiving ↔ not). */
  health(): void;
}

/**
 * One node's `GET /v1/events` subscription: parses the SSE frames, tracks `<epoch>-<seq>` ids to
 * find gaps, resumes with `Last-Event-ID` after a disconnect, and treats a silence longer than
 * `heartbeatTimeoutMs` (the server beats every ~5 s) as a dead stream. Any possible loss is reported
 * at once through {@link NodeStreamSink.lost}; {@link connected} is false until the server answers.
 */
export class NodeEventStream {
  readonly #o: ResolvedClientOptions;
  readonly #pools: NodePools;
  readonly #creds: Credentials;
  readonly #sink: NodeStreamSink;
  readonly #heartbeatTimeoutMs: number;
  #lastId: string | undefined;
  #epoch: string | undefined;
  #seq = 0;
  #connected = false;
  #closed = false;
  #ac: AbortController | undefined;
  #watchdog: unknown;
  #retryMs = 0;
  #loop: Promise<void> | undefined;
  #sleep: { timer: unknown; resolve: () => void } | undefined;
  #silent = false;

  constructor(
    readonly url: string,
    readonly nodeId: string,
    o: ResolvedClientOptions,
    pools: NodePools,
    creds: Credentials,
    sink: NodeStreamSink,
    heartbeatTimeoutMs: number,
    lastId?: string,
  ) {
    this.#o = o;
    this.#pools = pools;
    this.#creds = creds;
    this.#sink = sink;
    this.#heartbeatTimeoutMs = heartbeatTimeoutMs;
    this.#lastId = lastId;
    if (lastId !== undefined) [this.#epoch, this.#seq] = splitId(lastId);
  }

  /** Subscribed and hearing from the server. */
  get connected(): boolean {
    return this.#connected;
  }

  /** The last event id received (resume point). */
  get lastEventId(): string | undefined {
    return this.#lastId;
  }

  /** Starts the connect / read / reconnect loop. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Stops for good (idempotent). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#ac?.abort();
    if (this.#sleep !== undefined) {
      this.#o.timers.clearTimeout(this.#sleep.timer);
      this.#sleep.resolve();
    }
    this.#stopWatchdog();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      let reason: LossReason = 'disconnect';
      try {
        reason = (await this.#readOnce()) ?? 'disconnect';
      } catch {
        reason = this.#silent ? 'heartbeat' : 'disconnect';
      }
      this.#stopWatchdog();
      const was = this.#connected;
      this.#connected = false;
      if (this.#closed) return;
      if (was) this.#sink.health();
      this.#sink.lost(this.nodeId, reason);
      this.#retryMs = Math.min(2_000, this.#retryMs === 0 ? 50 : this.#retryMs * 2);
      await new Promise<void>((resolve) => {
        this.#sleep = { timer: this.#o.timers.setTimeout(resolve, this.#retryMs), resolve };
      });
      this.#sleep = undefined;
    }
  }

  /** One connection; resolves with the loss reason when the stream ends. */
  async #readOnce(): Promise<LossReason | undefined> {
    const ac = new AbortController();
    this.#ac = ac;
    this.#silent = false;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    const auth = await this.#creds.header();
    if (auth !== undefined) headers.authorization = auth;
    if (this.#lastId !== undefined) headers['last-event-id'] = this.#lastId;
    this.#armWatchdog(ac);
    const res = await this.#pools.get(this.url).request({ path: '/v1/events', method: 'GET', headers, signal: ac.signal });
    if (res.statusCode !== 200) {
      await res.body.dump().catch(() => undefined);
      return 'disconnect';
    }
    this.#connected = true;
    this.#retryMs = 0;
    this.#sink.health();
    const parser = new SseParser();
    const decoder = new TextDecoder();
    for await (const chunk of res.body) {
      this.#armWatchdog(ac);
      for (const f of parser.push(decoder.decode(chunk as Buffer, { stream: true }))) {
        const loss = this.#frame(f);
        if (loss !== undefined) {
          // After a reset the stream goes on from the server's current position (or closes: overflow).
          this.#sink.lost(this.nodeId, loss);
        }
      }
      if (this.#closed) return undefined;
    }
    return 'disconnect';
  }

  #frame(f: SseFrame): LossReason | undefined {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(f.data) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (f.event === 'heartbeat') {
      const lastId = typeof data.lastId === 'string' ? data.lastId : undefined;
      if (lastId === undefined || lastId === '') return undefined;
      const [epoch, seq] = splitId(lastId);
      // The server has sent events we never saw: resume from our last id by reconnecting.
      if (this.#epoch === undefined) {
        this.#epoch = epoch;
        this.#seq = seq;
        this.#lastId = lastId;
        return undefined;
      }
      if (epoch !== this.#epoch || seq > this.#seq) {
        this.#ac?.abort();
        return 'gap';
      }
      return undefined;
    }
    if (f.event === 'reset') {
      // The reset frame carries the node's current id: a later reconnect resumes from there.
      this.#lastId = data.reason !== 'overflow' ? f.id : undefined;
      [this.#epoch, this.#seq] = this.#lastId === undefined ? [undefined, 0] : splitId(this.#lastId);
      return `reset:${typeof data.reason === 'string' ? data.reason : 'unknown'}`;
    }
    if (f.event !== 'set' && f.event !== 'delete' && f.event !== 'expire' && f.event !== 'clear') return undefined;
    let loss: LossReason | undefined;
    if (f.id !== undefined) {
      const [epoch, seq] = splitId(f.id);
      if (this.#epoch !== undefined) {
        if (epoch === this.#epoch && seq <= this.#seq) return undefined; // already seen (replayed)
        if (epoch !== this.#epoch || seq !== this.#seq + 1) loss = 'gap';
      }
      this.#epoch = epoch;
      this.#seq = seq;
      this.#lastId = f.id;
    }
    this.#sink.change({
      type: f.event,
      key: typeof data.key === 'string' ? data.key : undefined,
      version: typeof data.version === 'number' ? data.version : undefined,
      origin: typeof data.origin === 'string' ? data.origin : undefined,
      node: typeof data.node === 'string' ? data.node : this.nodeId,
      id: f.id ?? '',
    });
    return loss;
  }

  #armWatchdog(ac: AbortController): void {
    this.#stopWatchdog();
    this.#watchdog = this.#o.timers.setTimeout(() => {
      this.#silent = true;
      ac.abort();
    }, this.#heartbeatTimeoutMs);
  }

  #stopWatchdog(): void {
    if (this.#watchdog !== undefined) this.#o.timers.clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }
}

/** `<epoch>-<seq>` → [epoch, seq]; an id without a dash is all epoch, seq 0. */
export function splitId(id: string): [string, number] {
  const dash = id.lastIndexOf('-');
  if (dash < 0) return [id, 0];
  return [id.slice(0, dash), Number(id.slice(dash + 1))];
}
