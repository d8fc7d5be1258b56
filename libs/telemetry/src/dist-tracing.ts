import { AsyncLocalStorage } from 'node:async_hooks';
import { context, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { DistItem, DistributedCache, PeerClient, WriteOutcome } from '@hypercache/distributed';

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

type Op = 'get' | 'set' | 'remove';

/** The dist operation in progress in this async context (parent of peer-call child spans). */
const OP = new AsyncLocalStorage<{ readonly op: Op; readonly ctx: Context }>();

function fail(span: Span, err: unknown): void {
  const e = err as { code?: unknown; name?: unknown } | null;
  span.setAttribute(DistAttr.ErrorType, typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR });
}

async function inSpan<T>(tracer: Tracer, name: string, op: Op, attributes: Attributes, run: () => Promise<T>, finish: (span: Span, out: T) => void): Promise<T> {
  const span = tracer.startSpan(name, { attributes }, context.active());
  const ctx = trace.setSpan(context.active(), span);
  try {
    const out = await context.with(ctx, () => OP.run({ op, ctx }, run));
    finish(span, out);
    return out;
  } catch (err) {
    fail(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Wraps the public Get/Set/Remove of one {@link DistributedCache} instance (and the coordinator
 * side of forwarded writes) in spans. Called only when tracing is enabled: without it the
 * instance keeps its prototype methods — no wrapper, no closure, no check on the data path.
 * Children per replica call come from {@link tracePeerClient}.
 */
export function traceDistributedCache(dist: DistributedCache, tracer: Tracer): void {
  const set = dist.set.bind(dist);
  const get = dist.get.bind(dist);
  const remove = dist.remove.bind(dist);
  const localValue = dist.localValue.bind(dist);
  const handleSet = dist.handleSet.bind(dist);
  const handleRemove = dist.handleRemove.bind(dist);
  const o = dist.options;
  const base = (key: string, consistency: string): Attributes => ({
    [DistAttr.KeyLength]: key.length,
    [DistAttr.Consistency]: consistency,
    [DistAttr.OwnersCount]: dist.ownersOf(key).length,
  });
  const acks = (span: Span, out: WriteOutcome) => span.setAttribute(DistAttr.Acks, out.acks);
  const noop = () => undefined;

  Object.assign(dist, {
    set: (key: string, value: Buffer, ttlMs: number) => inSpan(tracer, DistSpan.Set, 'set', base(key, o.writeConsistency), () => set(key, value, ttlMs), acks),
    remove: (key: string) => inSpan(tracer, DistSpan.Remove, 'remove', base(key, o.writeConsistency), () => remove(key), acks),
    get: (key: string) =>
      inSpan(tracer, DistSpan.Get, 'get', base(key, o.readConsistency), () => get(key), (span, item: DistItem | undefined) =>
        span.setAttribute(DistAttr.Hit, item !== undefined),
      ),
    localValue: (key: string) => {
      const value = localValue(key);
      // A miss here falls through to get(), which records its own span.
      if (value !== undefined) {
        tracer.startSpan(DistSpan.Get, { attributes: { ...base(key, o.readConsistency), [DistAttr.Hit]: true, [DistAttr.Local]: true } }, context.active()).end();
      }
      return value;
    },
    handleSet: (item: DistItem, replicate: boolean) =>
      replicate && item.version === 0
        ? inSpan(tracer, DistSpan.Set, 'set', { ...base(item.key, o.writeConsistency), [DistAttr.Coordinator]: true }, () => handleSet(item, replicate), noop)
        : handleSet(item, replicate),
    handleRemove: (key: string, replicate: boolean, version?: number, origin?: string) =>
      replicate
        ? inSpan(tracer, DistSpan.Remove, 'remove', { ...base(key, o.writeConsistency), [DistAttr.Coordinator]: true }, () => handleRemove(key, replicate, version, origin), noop)
        : handleRemove(key, replicate, version, origin),
  });
}

function childName(op: Op, call: 'set' | 'get' | 'remove', replicate: boolean): string | undefined {
  if (call === 'get') return DistSpan.ForwardGet;
  if (call === 'set') {
    if (op === 'get') return DistSpan.ReadRepair;
    return replicate ? DistSpan.ForwardSet : op === 'set' ? DistSpan.ReplicateSet : undefined;
  }
  return op === 'remove' ? (replicate ? DistSpan.ForwardRemove : DistSpan.ReplicateRemove) : undefined;
}

/**
 * A {@link PeerClient} whose set/get/remove calls made inside a traced dist operation become child
 * spans (`dist.replicate.set` per replica of a write, `dist.replicate.remove` per replica of a
 * delete, `dist.forward.*` for forwards) with `peer.id`. Calls outside an operation (hint replay,
 * sweeps) are not traced. Every other member of the client passes through unchanged.
 */
export function tracePeerClient<P extends PeerClient>(inner: P, tracer: Tracer): P {
  const child = async <T>(call: 'set' | 'get' | 'remove', peerId: string, replicate: boolean, run: () => Promise<T>): Promise<T> => {
    const current = OP.getStore();
    const name = current && childName(current.op, call, replicate);
    if (current === undefined || name === undefined) return run();
    const span = tracer.startSpan(name, { attributes: { [DistAttr.PeerId]: peerId } }, current.ctx);
    try {
      return await run();
    } catch (err) {
      fail(span, err);
      throw err;
    } finally {
      span.end();
    }
  };
  const traced: Pick<PeerClient, 'set' | 'get' | 'remove'> = {
    set: (peerId, item, replicate) => child('set', peerId, replicate, () => inner.set(peerId, item, replicate)),
    get: (peerId, key) => child('get', peerId, false, () => inner.get(peerId, key)),
    remove: (peerId, key, replicate, version, origin) => child('remove', peerId, replicate, () => inner.remove(peerId, key, replicate, version, origin)),
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'set' || prop === 'get' || prop === 'remove') return traced[prop];
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
