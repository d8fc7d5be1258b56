/**
 * The batched peer call `POST /internal/batch` (TS extension, docs/decisions.md D16): many
 * `set`/`remove` operations for one peer in one MessagePack body, answered by one MessagePack
 * array of per-operation results in the same order. Values travel as MessagePack binary, so their
 * bytes round-trip exactly without base64.
 *
 * Request: an array of operations, each a positional array —
 *   set:    `[1, key, value(bin), version, origin, ttlMs, expiresAtMs, replicate]`
 *   remove: `[2, key, replicate, version | nil, origin | nil]`
 * Response: an array with one entry per operation: `0` = applied (2xx), or
 * `[status, code, message]` = the status and `{error, code}` envelope the single-item route would
 * have answered, or `[409, "STALE_VERSION", message, version]` for a checked operation (F16: the
 * call's path carries `?check=1`) that the receiver refused as older than the `version` it holds.
 */
import { Packr } from 'msgpackr';
import { MalformedWireError } from './errors';
import { MAX_WIRE_TTL_MS, checkKey, type WireItem } from './wire';

/** Media type of batch bodies. */
export const BATCH_CONTENT_TYPE = 'application/msgpack';

/** Path of the batched peer call. */
export const BATCH_PATH = '/internal/batch';

/**
 * Query flag of a checked peer write (F16) on `/internal/batch`, `/internal/set` and
 * `/internal/del`: the receiver refuses a replica write or delete older than what it holds with
 * `409 STALE_VERSION` and the newer `version` instead of acknowledging it. Upstream receivers
 * ignore unknown query parameters.
 */
export const CHECK_QUERY = 'check=1';

/** Most operations one batch may carry (decoders reject longer batches). */
export const MAX_BATCH_OPS = 4_096;

const OP_SET = 1;
const OP_REMOVE = 2;

/** One operation of a batch. */
export type BatchOp =
  | { readonly kind: 'set'; readonly item: WireItem; readonly replicate: boolean; readonly check?: boolean }
  | {
      readonly kind: 'remove';
      readonly key: string;
      readonly replicate: boolean;
      readonly version?: number;
      readonly origin?: string;
      readonly check?: boolean;
    };

/**
 * One operation's outcome: `undefined` = applied, else the error envelope and status, with the
 * receiver's newer `version` on a `STALE_VERSION` refusal (F16). An operation's `check` does not
 * travel in its row: a batch with any checked operation is sent with {@link CHECK_QUERY}.
 */
export type BatchResult = undefined | { readonly status: number; readonly code: string; readonly error: string; readonly version?: number };

// copyBuffers: a decoded value must not pin the whole request buffer in the cache.
const packr = new Packr({ useRecords: false, copyBuffers: true, mapsAsObjects: true });

/**
 * Upper bound of the bytes `op` adds to an encoded batch request: the value's bytes, every string
 * at 3 bytes per UTF-16 unit (MessagePack strings are UTF-8) and 48 bytes for the array header,
 * type tags and numbers. Cheap (no encoding); used to bound batches by size (`PeerBatcher`).
 */
export function batchOpBytes(op: BatchOp): number {
  if (op.kind === 'set') return op.item.value.length + 3 * (op.item.key.length + op.item.origin.length) + 48;
  return 3 * (op.key.length + (op.origin?.length ?? 0)) + 48;
}

/** Encodes a batch request body. Throws {@link MalformedWireError} for an operation that cannot travel. */
export function encodeBatchRequest(ops: readonly BatchOp[]): Buffer {
  const rows = ops.map((op) => {
    if (op.kind === 'set') {
      const it = op.item;
      checkKey(it.key);
      return [OP_SET, it.key, it.value, it.version, it.origin, it.ttlMs, it.expiresAtMs, op.replicate];
    }
    checkKey(op.key);
    return [OP_REMOVE, op.key, op.replicate, op.version ?? null, op.origin ?? null];
  });
  return packr.pack(rows);
}

/**
 * Decodes a batch request body. `now` (epoch ms) stamps each item's `lastUpdatedMs` (receivers
 * stamp arrival, dist-protocol.md §4). Throws {@link MalformedWireError} naming the first bad field
 * (`ops[3].version`).
 */
export function decodeBatchRequest(body: Buffer, now: () => number): BatchOp[] {
  let rows: unknown;
  try {
    rows = packr.unpack(body);
  } catch (e) {
    throw new MalformedWireError('body', 'invalid MessagePack', { cause: e });
  }
  if (!Array.isArray(rows)) throw new MalformedWireError('body', 'expected an array of operations');
  if (rows.length > MAX_BATCH_OPS) throw new MalformedWireError('body', `more than ${MAX_BATCH_OPS} operations`);
  const nowMs = now();
  return rows.map((row: unknown, i): BatchOp => {
    const at = `ops[${i}]`;
    if (!Array.isArray(row)) throw new MalformedWireError(at, 'expected an array');
    if (row[0] === OP_SET) {
      if (row.length !== 8) throw new MalformedWireError(at, 'set takes 8 fields');
      const [, key, value, version, origin, ttlMs, expiresAtMs, replicate] = row as unknown[];
      checkKey(key, `${at}.key`);
      if (!(value instanceof Uint8Array)) throw new MalformedWireError(`${at}.value`, 'expected binary');
      return {
        kind: 'set',
        item: {
          key,
          value: Buffer.isBuffer(value) ? value : Buffer.from(value),
          version: uint(version, `${at}.version`),
          origin: str(origin, `${at}.origin`),
          ttlMs: uint(ttlMs, `${at}.ttlMs`, MAX_WIRE_TTL_MS),
          expiresAtMs: uint(expiresAtMs, `${at}.expiresAtMs`),
          lastUpdatedMs: nowMs,
        },
        replicate: bool(replicate, `${at}.replicate`),
      };
    }
    if (row[0] === OP_REMOVE) {
      if (row.length !== 5) throw new MalformedWireError(at, 'remove takes 5 fields');
      const [, key, replicate, version, origin] = row as unknown[];
      checkKey(key, `${at}.key`);
      return {
        kind: 'remove',
        key,
        replicate: bool(replicate, `${at}.replicate`),
        ...(version == null ? {} : { version: uint(version, `${at}.version`) }),
        ...(origin == null ? {} : { origin: str(origin, `${at}.origin`) }),
      };
    }
    throw new MalformedWireError(`${at}[0]`, 'unknown operation');
  });
}

/**
 * Checks that an operation can travel (the same rules the decoder applies), so that a bad item
 * fails its own call instead of the whole batch it would ride in.
 */
export function checkBatchOp(op: BatchOp): void {
  if (op.kind === 'set') {
    const it = op.item;
    checkKey(it.key);
    if (!(it.value instanceof Uint8Array)) throw new MalformedWireError('item.value', 'expected bytes');
    uint(it.version, 'item.version');
    str(it.origin, 'item.origin');
    uint(it.ttlMs, 'item.ttlMs', MAX_WIRE_TTL_MS);
    uint(it.expiresAtMs, 'item.expiresAtMs');
    return;
  }
  checkKey(op.key);
  if (op.version !== undefined) uint(op.version, 'version');
  if (op.origin !== undefined) str(op.origin, 'origin');
}

/** Encodes the per-operation results. */
export function encodeBatchResponse(results: readonly BatchResult[]): Buffer {
  return packr.pack(results.map((r) => (r === undefined ? 0 : r.version === undefined ? [r.status, r.code, r.error] : [r.status, r.code, r.error, r.version])));
}

/** Decodes the per-operation results; `expected` is the number of operations sent. */
export function decodeBatchResponse(body: Buffer, expected: number): BatchResult[] {
  let rows: unknown;
  try {
    rows = packr.unpack(body);
  } catch (e) {
    throw new MalformedWireError('body', 'invalid MessagePack', { cause: e });
  }
  if (!Array.isArray(rows) || rows.length !== expected) {
    throw new MalformedWireError('body', `expected ${expected} results`);
  }
  return rows.map((r: unknown, i): BatchResult => {
    if (r === 0) return undefined;
    if (Array.isArray(r) && (r.length === 3 || r.length === 4) && Number.isInteger(r[0]) && typeof r[1] === 'string' && typeof r[2] === 'string') {
      if (r.length === 3) return { status: r[0] as number, code: r[1], error: r[2] };
      return { status: r[0] as number, code: r[1], error: r[2], version: uint(r[3], `results[${i}][3]`) };
    }
    throw new MalformedWireError(`results[${i}]`, 'expected 0 or [status, code, message(, version)]');
  });
}

function uint(v: unknown, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw new MalformedWireError(field, `must be an integer in [0, ${max}]`);
  }
  return v;
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || !v.isWellFormed()) throw new MalformedWireError(field, 'expected a well-formed string');
  return v;
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new MalformedWireError(field, 'expected a boolean');
  return v;
}
