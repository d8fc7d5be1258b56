import { AsyncLocalStorage } from 'node:async_hooks';
import { channel, tracingChannel, type Channel } from 'node:diagnostics_channel';
import { context, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';

/** Span names and attributes of dist-protocol.md §16 "Tracing". */
export const DistSpan = {
  Get: 'dist.get',
  Set: 'dist.set',
  Remove: 'dist.remove',
  ReplicateSet: 'dist.replicate.set',
  ReplicateRemove: 'dist.replicate.remove',
  /** TS addition: the forward of a write or read to a remote owner. */
  ForwardSet: 'dist.forward.set',
  ForwardRemove: 'dist.forward.remove',
  ForwardGet: 'dist.forward.get',
  /** TS addition: a read-repair push to a stale owner. */
  ReadRepair: 'dist.read.repair',
} as const;

/** The attribute keys put on dist spans. Key *values* are never recorded (PII). */
export const DistAttr = {
  KeyLength: 'cache.key.length',
  Consistency: 'dist.consistency',
  OwnersCount: 'dist.owners.count',
  Acks: 'dist.acks',
  Hit: 'cache.hit',
  PeerId: 'peer.id',
  /** TS addition: the span runs on the primary for a forwarded write. */
  Coordinator: 'dist.coordinator',
  /** TS addition: a GET answered from the local copy without a network call. */
  Local: 'dist.local',
  /** The error's `code` (or class name) on a failed span; never its message, which may quote a URL. */
  ErrorType: 'error.type',
} as const;

/**
 * The `node:diagnostics_channel` names the dist data path publishes on. Telemetry knows them by
 * name only (it imports no domain lib); the core's tests pin that they match the publisher's.
 */
export const DIST_CHANNELS = {
  op: 'hypercache:dist.op',
  peerCall: 'hypercache:dist.peer-call',
  localHit: 'hypercache:dist.local-hit',
} as const;

type Op = 'get' | 'set' | 'remove';

/** What telemetry reads from an operation event (the publisher's message, structurally). */
interface OpEvent {
  readonly nodeId: string;
  readonly op: Op;
  readonly key: string;
  readonly consistency: string;
  readonly owners: number;
  readonly coordinator: boolean;
  readonly result?: unknown;
  readonly error?: unknown;
}

/** What telemetry reads from a peer-call event. */
interface PeerCallEvent {
  readonly call: Op;
  readonly peerId: string;
  readonly replicate: boolean;
  readonly error?: unknown;
}

/** The dist operation in progress in this async context (parent of peer-call child spans). */
interface Current {
  readonly op: Op;
  readonly ctx: Context;
}

function fail(span: Span, err: unknown): void {
  const e = err as { code?: unknown; name?: unknown } | null;
  span.setAttribute(DistAttr.ErrorType, typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR });
}

function childName(op: Op, call: Op, replicate: boolean): string | undefined {
  if (call === 'get') return DistSpan.ForwardGet;
  if (call === 'set') {
    if (op === 'get') return DistSpan.ReadRepair;
    return replicate ? DistSpan.ForwardSet : op === 'set' ? DistSpan.ReplicateSet : undefined;
  }
  return op === 'remove' ? (replicate ? DistSpan.ForwardRemove : DistSpan.ReplicateRemove) : undefined;
}

const NAME: Record<Op, string> = { get: DistSpan.Get, set: DistSpan.Set, remove: DistSpan.Remove };

function baseAttributes(e: OpEvent): Attributes {
  return { [DistAttr.KeyLength]: e.key.length, [DistAttr.Consistency]: e.consistency, [DistAttr.OwnersCount]: e.owners };
}

/**
 * Builds dist spans from the data path's diagnostics-channel events (dist-protocol.md §16): one
 * span per client operation (`dist.get/set/remove`, with `cache.hit` / `dist.acks`), one per
 * coordinator run of a forwarded write (`dist.coordinator`), and a child span per peer call made
 * inside an operation (`dist.replicate.*`, `dist.forward.*`, `dist.read.repair`, with `peer.id`).
 * Peer calls outside an operation (hint replay, sweeps) are not traced. Only events of `nodeId`
 * are handled (several nodes may share one process in tests). Nothing is wrapped or patched:
 * with no subscription the publisher skips building events altogether.
 */
export class DistTracing {
  readonly #current = new AsyncLocalStorage<Current | undefined>();
  readonly #spans = new WeakMap<object, Span>();
  readonly #ops = tracingChannel<unknown, OpEvent & object>(DIST_CHANNELS.op);
  readonly #peerCalls = tracingChannel<unknown, PeerCallEvent & object>(DIST_CHANNELS.peerCall);
  readonly #localHits: Channel = channel(DIST_CHANNELS.localHit);
  readonly #opHandlers = {
    start: () => undefined,
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: (e: OpEvent & object) => this.#endOp(e),
    error: (e: OpEvent & object) => this.#fail(e),
  };
  readonly #peerHandlers = {
    start: (e: PeerCallEvent & object) => this.#startPeerCall(e),
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: (e: PeerCallEvent & object) => this.#spans.get(e)?.end(),
    error: (e: PeerCallEvent & object) => this.#fail(e),
  };
  readonly #onLocalHit = (m: unknown) => this.#localHit(m as OpEvent);
  #subscribed = false;

  constructor(
    private readonly nodeId: string,
    private readonly tracer: Tracer,
  ) {}

  /** Starts building spans (idempotent). */
  subscribe(): void {
    if (this.#subscribed) return;
    this.#subscribed = true;
    // The store transform runs as an operation starts: it opens the span and makes it the
    // parent of the peer calls the operation makes (same async context).
    this.#ops.start.bindStore(this.#current, (e) => this.#startOp(e));
    this.#ops.subscribe(this.#opHandlers);
    this.#peerCalls.subscribe(this.#peerHandlers);
    this.#localHits.subscribe(this.#onLocalHit);
  }

  /** Stops building spans (idempotent); the publishers go back to not publishing. */
  unsubscribe(): void {
    if (!this.#subscribed) return;
    this.#subscribed = false;
    this.#ops.start.unbindStore(this.#current);
    this.#ops.unsubscribe(this.#opHandlers);
    this.#peerCalls.unsubscribe(this.#peerHandlers);
    this.#localHits.unsubscribe(this.#onLocalHit);
  }

  #startOp(e: OpEvent & object): Current | undefined {
    if (e.nodeId !== this.nodeId) return undefined;
    const attributes = baseAttributes(e);
    if (e.coordinator) attributes[DistAttr.Coordinator] = true;
    const span = this.tracer.startSpan(NAME[e.op], { attributes }, context.active());
    this.#spans.set(e, span);
    return { op: e.op, ctx: trace.setSpan(context.active(), span) };
  }

  #endOp(e: OpEvent & object): void {
    const span = this.#spans.get(e);
    if (span === undefined) return;
    if (e.error === undefined && !e.coordinator) {
      if (e.op === 'get') span.setAttribute(DistAttr.Hit, e.result !== undefined);
      else span.setAttribute(DistAttr.Acks, (e.result as { acks: number }).acks);
    }
    span.end();
  }

  #startPeerCall(e: PeerCallEvent & object): void {
    const current = this.#current.getStore();
    const name = current && childName(current.op, e.call, e.replicate);
    if (current === undefined || name === undefined) return;
    this.#spans.set(e, this.tracer.startSpan(name, { attributes: { [DistAttr.PeerId]: e.peerId } }, current.ctx));
  }

  #fail(e: { readonly error?: unknown } & object): void {
    const span = this.#spans.get(e);
    if (span !== undefined) fail(span, e.error);
  }

  #localHit(e: OpEvent): void {
    if (e.nodeId !== this.nodeId) return;
    const attributes = { ...baseAttributes(e), [DistAttr.Hit]: true, [DistAttr.Local]: true };
    this.tracer.startSpan(DistSpan.Get, { attributes }, context.active()).end();
  }
}
