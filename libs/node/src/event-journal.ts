import { randomBytes } from 'node:crypto';
import { SYSTEM_TIMERS, type Timers } from '@hypercache/loops';

/** Options of {@link EventJournal}. */
export interface EventJournalOptions {
  /** This node's ID, named in `reset` events. Required. */
  readonly nodeId: string;
  /** Events kept for `Last-Event-ID` resume (`HYPERCACHE_EVENTS_BUFFER`). Default 10000. */
  readonly bufferEvents?: number;
  /**
   * Bytes of frames one subscriber may have queued (not yet accepted by its socket) before it is
   * cut off with `event: reset` `{"reason":"overflow"}`. Default 4 MiB.
   */
  readonly maxQueueBytes?: number;
  /**
   * How long events are still kept after the last subscriber left, so a reconnect resumes instead
   * of resetting, ms. Default 60000. While nobody subscribed for longer, a publish only counts.
   */
  readonly idleRetentionMs?: number;
  /** Epoch of this journal (random per process start by default: 16 hex digits). */
  readonly epoch?: string;
  /** Timers of the idle-retention countdown (default Node's, unref()'d). */
  readonly timers?: Timers;
}

/** {@link EventJournalOptions} with defaults filled in. */
export type ResolvedEventJournalOptions = Required<Omit<EventJournalOptions, 'timers'>> & { readonly timers: Timers };

/**
 * Fills in the defaults of {@link EventJournalOptions} and rejects nonsense, naming the option.
 * @throws TypeError naming `nodeId`, `bufferEvents`, `maxQueueBytes`, `idleRetentionMs` or `epoch`.
 */
export function resolveEventJournalOptions(o: EventJournalOptions): ResolvedEventJournalOptions {
  const positiveInt = (name: string, v: number) => {
    if (!Number.isSafeInteger(v) || v < 1) throw new TypeError(`${name} must be a positive integer, got ${v}`);
    return v;
  };
  if (typeof o.nodeId !== 'string' || o.nodeId === '') throw new TypeError(`nodeId must be a non-empty string, got ${String(o.nodeId)}`);
  const epoch = o.epoch ?? randomBytes(8).toString('hex');
  if (!/^[0-9A-Za-z]+$/.test(epoch)) throw new TypeError(`epoch must be alphanumeric, got ${epoch}`);
  const idleRetentionMs = o.idleRetentionMs ?? 60_000;
  if (!Number.isFinite(idleRetentionMs) || idleRetentionMs < 0) throw new TypeError(`idleRetentionMs must be a non-negative number of ms, got ${idleRetentionMs}`);
  return {
    nodeId: o.nodeId,
    bufferEvents: positiveInt('bufferEvents', o.bufferEvents ?? 10_000),
    maxQueueBytes: positiveInt('maxQueueBytes', o.maxQueueBytes ?? 4 * 1024 * 1024),
    idleRetentionMs,
    epoch,
    timers: o.timers ?? SYSTEM_TIMERS,
  };
}

/** Why a subscriber is told to drop what it knows (`event: reset`). */
export const ResetReason = {
  /** The asked id comes from another process start of this node (or is not one of its ids). */
  Epoch: 'epoch',
  /** The asked id is older than the oldest buffered event: events were missed. */
  Evicted: 'evicted',
  /** The subscriber did not keep up; its stream is closed after this event. */
  Overflow: 'overflow',
} as const;
/** Union of the values of {@link ResetReason}. */
export type ResetReason = (typeof ResetReason)[keyof typeof ResetReason];

/** Handlers of one {@link EventJournal.subscribe} call. */
export interface JournalSubscriber {
  /** A frame was queued; called synchronously (the stream drains with {@link JournalSubscription.take}). */
  notify(): void;
  /** The subscription ended (journal closed, overflow, or `close()`); called once. */
  onClose(): void;
}

/** A subscriber's end of the journal. */
export interface JournalSubscription {
  /**
   * The frames to send before any live one: one `reset` (see {@link EventJournal.subscribe}) or the
   * replayed events. Not counted against the queue bound (at most `bufferEvents` frames).
   */
  readonly initial: readonly string[];
  /** True when `Last-Event-ID` was honoured: `initial` holds exactly the events after it. */
  readonly resumed: boolean;
  /** Removes and returns the queued SSE frames (complete `…\n\n` blocks), oldest first. */
  take(): string[];
  /** True once the stream must end after the frames taken so far (overflow or journal closed). */
  readonly ended: boolean;
  /** Unsubscribes (idempotent); queued frames are discarded. */
  close(): void;
}

interface Subscriber {
  readonly handlers: JournalSubscriber;
  queue: string[];
  queuedBytes: number;
  ended: boolean;
}

/**
 * A per-node sequenced event log behind an SSE route (issue 17: `GET /v1/events`,
 * `GET /cluster/events`). Every published event gets the id `<epoch>-<seq>` (epoch random per
 * process start, seq from 1) and is kept in a ring of `bufferEvents` for `Last-Event-ID` resume.
 * Subscribers get live frames in bounded queues: publishing never waits, and a subscriber whose
 * queue passes `maxQueueBytes` gets a final `event: reset {"reason":"overflow"}` and is closed.
 *
 * Events are kept only while someone subscribes, and for `idleRetentionMs` after the last one
 * left ({@link isRecording}); otherwise publishers call {@link skip} (the sequence still advances,
 * so a later resume from an older id is answered with a reset instead of silently missing events).
 */
export class EventJournal {
  readonly #o: ResolvedEventJournalOptions;
  /** Ring of frames; the frame of seq s is at (s - 1) % capacity while s ≥ #oldestSeq. */
  readonly #ring: string[];
  readonly #subscribers = new Set<Subscriber>();
  #seq = 0;
  /** Seq of the oldest kept event; #seq + 1 when none is kept. */
  #oldestSeq = 1;
  #recording = false;
  #idleTimer: unknown;
  #closed = false;

  constructor(options: EventJournalOptions) {
    this.#o = resolveEventJournalOptions(options);
    this.#ring = new Array<string>(this.#o.bufferEvents);
  }

  /** This journal's epoch (the id prefix). */
  get epoch(): string {
    return this.#o.epoch;
  }

  /** Id of the last published event, `<epoch>-<seq>` (`<epoch>-0` before the first). */
  get lastId(): string {
    return `${this.#o.epoch}-${this.#seq}`;
  }

  /** Whether published events are kept (and payloads worth building); see the class comment. */
  get isRecording(): boolean {
    return this.#recording;
  }

  /** Live subscribers. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /**
   * Publishes one event: `type` is the SSE event name, `json` its one-line JSON data. Kept and
   * fanned out while {@link isRecording}; otherwise only counted, like {@link skip}.
   */
  publish(type: string, json: string): void {
    if (!this.#recording) {
      this.skip();
      return;
    }
    const seq = ++this.#seq;
    const frame = `id: ${this.#o.epoch}-${seq}\nevent: ${type}\ndata: ${json}\n\n`;
    const capacity = this.#ring.length;
    this.#ring[(seq - 1) % capacity] = frame;
    if (seq - this.#oldestSeq >= capacity) this.#oldestSeq = seq - capacity + 1;
    for (const sub of this.#subscribers) this.#enqueue(sub, frame);
  }

  /** Counts one event that nobody can be told about (not recording): later resumes before it reset. */
  skip(): void {
    this.#seq++;
    this.#oldestSeq = this.#seq + 1;
  }

  /** Sends an id-less frame (a heartbeat) to every live subscriber; never kept for resume. */
  broadcast(type: string, json: string): void {
    if (this.#subscribers.size === 0) return;
    const frame = `event: ${type}\ndata: ${json}\n\n`;
    for (const sub of this.#subscribers) this.#enqueue(sub, frame);
  }

  /**
   * Subscribes from `lastEventId` (the `Last-Event-ID` of a reconnect; undefined = live only).
   * The first frames queued are, in order: a `reset` (reason `epoch` for an id of another epoch or
   * malformed, `evicted` when events after it are no longer kept) or else the kept events after
   * it; then live events. Recording starts (or continues) with the first subscriber.
   */
  subscribe(lastEventId: string | undefined, handlers: JournalSubscriber): JournalSubscription {
    const sub: Subscriber = { handlers, queue: [], queuedBytes: 0, ended: false };
    if (this.#closed) {
      sub.ended = true;
      queueMicrotask(() => handlers.onClose());
      return this.#handle(sub, [], false);
    }
    this.#subscribers.add(sub);
    this.#startRecording();
    if (lastEventId === undefined) return this.#handle(sub, [], false);
    const replay = this.#replay(lastEventId);
    return typeof replay === 'string' ? this.#handle(sub, [this.#resetFrame(replay)], false) : this.#handle(sub, replay, true);
  }

  /** Ends every subscription (drain/shutdown); later subscribers end at once. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#o.timers.clearTimeout(this.#idleTimer);
    for (const sub of [...this.#subscribers]) this.#end(sub);
  }

  /** The kept frames after `lastEventId`, or why they cannot be given. */
  #replay(lastEventId: string): string[] | ResetReason {
    const m = /^([0-9A-Za-z]+)-(\d{1,16})$/.exec(lastEventId.trim());
    const seq = m === null ? NaN : Number(m[2]);
    if (m === null || m[1] !== this.#o.epoch || seq > this.#seq) return ResetReason.Epoch;
    if (seq + 1 < this.#oldestSeq) return ResetReason.Evicted;
    const capacity = this.#ring.length;
    const frames: string[] = [];
    for (let s = seq + 1; s <= this.#seq; s++) frames.push(this.#ring[(s - 1) % capacity]);
    return frames;
  }

  /** A reset carries the current last id, so a reconnect after it resumes from here. */
  #resetFrame(reason: ResetReason): string {
    return `id: ${this.lastId}\nevent: reset\ndata: ${JSON.stringify({ reason, node: this.#o.nodeId })}\n\n`;
  }

  #enqueue(sub: Subscriber, frame: string): void {
    if (sub.ended) return;
    if (sub.queuedBytes + frame.length > this.#o.maxQueueBytes) {
      // Cut off: drop what it has not read, tell it why, and end its stream after that frame.
      sub.queue = [this.#resetFrame(ResetReason.Overflow)];
      sub.queuedBytes = sub.queue[0].length;
      this.#end(sub, true);
      return;
    }
    sub.queue.push(frame);
    sub.queuedBytes += frame.length;
    sub.handlers.notify();
  }

  /** Removes `sub`; with `flush`, its remaining frames are still delivered before the stream ends. */
  #end(sub: Subscriber, flush = false): void {
    if (sub.ended) return;
    sub.ended = true;
    if (!flush) {
      sub.queue = [];
      sub.queuedBytes = 0;
    }
    this.#subscribers.delete(sub);
    this.#maybeStopRecording();
    if (flush) sub.handlers.notify();
    sub.handlers.onClose();
  }

  #handle(sub: Subscriber, initial: readonly string[], resumed: boolean): JournalSubscription {
    return {
      initial,
      resumed,
      take: () => {
        const frames = sub.queue;
        sub.queue = [];
        sub.queuedBytes = 0;
        return frames;
      },
      get ended() {
        return sub.ended;
      },
      close: () => this.#end(sub),
    };
  }

  #startRecording(): void {
    this.#o.timers.clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#recording = true;
  }

  #maybeStopRecording(): void {
    if (this.#subscribers.size > 0 || !this.#recording || this.#idleTimer !== undefined) return;
    const stop = () => {
      this.#idleTimer = undefined;
      if (this.#subscribers.size > 0) return;
      this.#recording = false;
      this.#ring.fill(undefined as unknown as string);
      this.#oldestSeq = this.#seq + 1;
    };
    if (this.#closed || this.#o.idleRetentionMs === 0) stop();
    else this.#idleTimer = this.#o.timers.setTimeout(stop, this.#o.idleRetentionMs);
  }
}
