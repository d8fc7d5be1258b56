/**
 * Wire formats of the peer protocol (dist-protocol.md §17.2, §6, §12) and the codecs between
 * them and {@link WireItem}. Every decoder validates with zod and throws {@link MalformedWireError}
 * (code `BAD_REQUEST`) naming the field; every encoder checks the item it is given the same way,
 * so a value that cannot round-trip never reaches the network.
 *
 * Units: `expiration_ms` is ms, the get item's `Expiration` is NANOSECONDS (Go `time.Duration`);
 * upstream's requester reads it as ms (×10^6 bug, §7/§17.2) — here it is read as ns.
 */
import { z } from 'zod';
import { MalformedWireError } from './errors';
import { formatRfc3339, MAX_RFC3339_MS, MIN_RFC3339_MS, parseRfc3339 } from './rfc3339';

/** Largest TTL in ms whose nanosecond count fits Go's `time.Duration` (int64 ns). */
export const MAX_WIRE_TTL_MS = 9_223_372_036_854;

/** Largest `Expiration` in ns accepted on decode (int64 max, as the nearest double). */
const MAX_EXPIRATION_NS = 9_223_372_036_854_775_807;

/**
 * A cache item as it travels between peers; plain data, independent of the engine's record.
 * `value` bytes round-trip exactly (NUL, invalid UTF-8, empty).
 */
export interface WireItem {
  /** Non-empty, well-formed Unicode (no lone surrogates: it must survive UTF-8 and query strings). */
  key: string;
  /** The value bytes (base64 on the wire). */
  value: Buffer;
  /** Version (dist-protocol.md §4), non-negative safe integer; 0 = "coordinate for me" on a forward (§5). */
  version: number;
  /** Node ID that assigned `version`; empty on a forward before the primary assigned one. */
  origin: string;
  /** Relative TTL in ms, 0 = none, at most {@link MAX_WIRE_TTL_MS}. */
  ttlMs: number;
  /** Absolute expiry in epoch ms on the writer's clock, 0 = none (TS extension `expires_at_ms`, §9 "TS SHOULD"). */
  expiresAtMs: number;
  /**
   * Epoch ms of the last update. Set requests do not carry it: the receiver stamps its own clock
   * on arrival (§4); get responses carry it as `LastUpdated` (ms precision).
   */
  lastUpdatedMs: number;
}

/** `POST /internal/set` body (§17.2), field names exact, plus the TS extension `expires_at_ms`. */
export interface SetRequestBody {
  key: string;
  /** base64 (standard alphabet, padded) of the value bytes. */
  value: string;
  /** Relative TTL in ms, 0 = none. */
  expiration_ms: number;
  version: number;
  origin: string;
  /** true = "you are the primary/coordinator: fan out"; false = "store only". */
  replicate: boolean;
  /** TS extension: absolute expiry, epoch ms on the writer's clock, 0 = none. Absent from upstream senders. */
  expires_at_ms?: number;
}

/** The `item` of a found `GET /internal/get` answer: Go's untagged struct (§17.2) plus `expires_at_ms`. */
export interface GetResponseItem {
  Key: string;
  /** base64 of the value bytes. */
  Value: string;
  /** RFC 3339. */
  LastAccess: string;
  /** RFC 3339. */
  LastUpdated: string;
  /** Size in bytes as the sender accounts it. */
  Size: number;
  /** Relative TTL in NANOSECONDS, 0 = none. */
  Expiration: number;
  AccessCount: number;
  Version: number;
  Origin: string;
  /** TS extension: absolute expiry, epoch ms on the writer's clock, 0 = none. */
  expires_at_ms?: number;
}

/** `GET /internal/get` answer body (§17.1). */
export type GetResponseBody = { found: true; item: GetResponseItem } | { found: false };

/** Optional per-node fields of a get answer that {@link WireItem} does not carry (§17.2). */
export interface GetResponseMeta {
  /** Epoch ms of the last read on the answering node. Default `item.lastUpdatedMs`. */
  lastAccessMs?: number;
  /** Reads since the write on the answering node. Default 0. */
  accessCount?: number;
  /** Size the answering node accounts in bytes. Default `item.value.length`. */
  sizeBytes?: number;
}

/** Parsed `DELETE /internal/del` query (§6, §17.1) including the TS `version`/`origin` extension. */
export interface RemoveQuery {
  key: string;
  /** Default false. */
  replicate: boolean;
  /** Tombstone version chosen by the sender (§6 "TS MAY"); receivers that see it use it. */
  version?: number;
  /** Origin of that tombstone version. */
  origin?: string;
}

/** `GET /internal/keys` answer body (§12). */
export interface KeysPageBody {
  keys: string[];
  /** Next shard index as a decimal string, `""` after the last shard. */
  next_cursor: string;
  /** The shard had more matches than `limit`; `next_cursor` is then the same cursor. */
  truncated: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const wireKey = z
  .string()
  .min(1, 'empty key')
  .refine((k) => k.isWellFormed(), 'key is not well-formed Unicode (lone surrogate)');
const base64 = z.string().refine((s) => s.length % 4 === 0 && BASE64.test(s), 'not padded standard base64');
const safeUint = z.number().int().nonnegative();
const ttlMs = safeUint.max(MAX_WIRE_TTL_MS);
const rfc3339 = z.string().refine((s) => parseRfc3339(s) !== undefined, 'not an RFC 3339 time');

const setRequestSchema = z.object({
  key: wireKey,
  value: base64,
  expiration_ms: ttlMs,
  version: safeUint,
  origin: z.string(),
  replicate: z.boolean(),
  expires_at_ms: safeUint.optional(),
});

const getResponseItemSchema = z.object({
  Key: wireKey,
  Value: base64,
  LastAccess: rfc3339,
  LastUpdated: rfc3339,
  Size: z.number().nonnegative(),
  Expiration: z
    .number()
    .nonnegative()
    .max(MAX_EXPIRATION_NS)
    .refine((n) => Number.isInteger(n), 'not an integer'),
  AccessCount: z.number().nonnegative(),
  Version: safeUint,
  Origin: z.string(),
  expires_at_ms: safeUint.optional(),
});

const getResponseSchema = z.discriminatedUnion('found', [
  z.object({ found: z.literal(true), item: getResponseItemSchema }),
  z.object({ found: z.literal(false) }),
]);

const keysPageSchema = z.object({
  // Go marshals a nil slice as null.
  keys: z.array(z.string()).nullable(),
  next_cursor: z.string().regex(/^(?:|0|[1-9]\d{0,8})$/, 'not a shard index'),
  truncated: z.boolean().optional(),
});

const wireItemSchema = z.object({
  key: wireKey,
  value: z.instanceof(Uint8Array, { message: 'value must be a Buffer' }),
  version: safeUint,
  origin: z.string(),
  ttlMs,
  expiresAtMs: safeUint,
  lastUpdatedMs: z.number().int(),
});

/** Encodes a set request body (§17.2). Throws {@link MalformedWireError} for an item that cannot travel. */
export function encodeSetRequest(item: WireItem, replicate: boolean): SetRequestBody {
  checkItem(item);
  return {
    key: item.key,
    value: base64Of(item.value),
    expiration_ms: item.ttlMs,
    version: item.version,
    origin: item.origin,
    replicate,
    expires_at_ms: item.expiresAtMs,
  };
}

/**
 * Decodes a parsed set request body (§17.2). `now` (epoch ms) stamps `lastUpdatedMs` (receivers
 * stamp arrival, §4) and derives `expiresAtMs = now + ttl` when an upstream sender omitted
 * `expires_at_ms`. The value is decoded into a fresh Buffer.
 */
export function decodeSetRequest(body: unknown, now: () => number): { item: WireItem; replicate: boolean } {
  const b = parse(setRequestSchema, body, '');
  const nowMs = now();
  return {
    item: {
      key: b.key,
      value: Buffer.from(b.value, 'base64'),
      version: b.version,
      origin: b.origin,
      ttlMs: b.expiration_ms,
      expiresAtMs: b.expires_at_ms ?? derivedExpiry(b.expiration_ms, nowMs),
      lastUpdatedMs: nowMs,
    },
    replicate: b.replicate,
  };
}

/**
 * Encodes a get answer (§17.1/§17.2): `{found:false}` for `undefined`, else Go's PascalCase item
 * with `Expiration` in nanoseconds and the TS `expires_at_ms`. `lastUpdatedMs` must lie in years
 * 1..9999 (RFC 3339).
 */
export function encodeGetResponse(item: WireItem | undefined, meta: GetResponseMeta = {}): GetResponseBody {
  if (item === undefined) return { found: false };
  checkItem(item);
  const lastUpdated = rfc3339Of(item.lastUpdatedMs, 'item.lastUpdatedMs');
  const lastAccess = meta.lastAccessMs === undefined ? lastUpdated : rfc3339Of(meta.lastAccessMs, 'meta.lastAccessMs');
  return {
    found: true,
    item: {
      Key: item.key,
      Value: base64Of(item.value),
      LastAccess: lastAccess,
      LastUpdated: lastUpdated,
      Size: meta.sizeBytes ?? item.value.length,
      Expiration: item.ttlMs * 1_000_000,
      AccessCount: meta.accessCount ?? 0,
      Version: item.version,
      Origin: item.origin,
      expires_at_ms: item.expiresAtMs,
    },
  };
}

/**
 * Decodes a parsed get answer (§17.2) to the item or `undefined` (`found:false`). `Expiration` is
 * read as nanoseconds and rounded to ms (a positive sub-ms TTL becomes 1 ms, never "no expiry";
 * int64 max clamps to {@link MAX_WIRE_TTL_MS}).
 * `now` (epoch ms) derives `expiresAtMs = now + ttl` when an upstream peer omitted `expires_at_ms`.
 */
export function decodeGetResponse(body: unknown, now: () => number): WireItem | undefined {
  const b = parse(getResponseSchema, body, '');
  if (!b.found) return undefined;
  const it = b.item;
  const ttl = nsToMs(it.Expiration);
  return {
    key: it.Key,
    value: Buffer.from(it.Value, 'base64'),
    version: it.Version,
    origin: it.Origin,
    ttlMs: ttl,
    expiresAtMs: it.expires_at_ms ?? derivedExpiry(ttl, now()),
    lastUpdatedMs: parseRfc3339(it.LastUpdated)!,
  };
}

/**
 * Encodes the `DELETE /internal/del` query string (no leading `?`): `key`, `replicate`, and
 * `version`/`origin` only when defined. Throws {@link MalformedWireError} for a bad key/version.
 */
export function encodeRemoveQuery(q: RemoveQuery): string {
  checkKey(q.key, 'key');
  let s = `key=${encodeURIComponent(q.key)}&replicate=${q.replicate ? 'true' : 'false'}`;
  if (q.version !== undefined) {
    if (!Number.isSafeInteger(q.version) || q.version < 0) {
      throw new MalformedWireError('version', `must be a non-negative safe integer, got ${q.version}`);
    }
    s += `&version=${q.version}`;
  }
  if (q.origin !== undefined) {
    checkWellFormed(q.origin, 'origin');
    s += `&origin=${encodeURIComponent(q.origin)}`;
  }
  return s;
}

/**
 * Decodes the parsed `DELETE /internal/del` query (§17.1): missing/empty key → `key`; `replicate`
 * absent or empty → false, else Go `strconv.ParseBool` spellings, anything else → `invalid replicate`;
 * `version` decimal; `origin` any string.
 */
export function decodeRemoveQuery(query: Readonly<Record<string, string | undefined>>): RemoveQuery {
  const key = query['key'];
  if (key === undefined || key === '') throw new MalformedWireError('key', 'missing key');
  checkKey(key, 'key');
  const out: RemoveQuery = { key, replicate: parseGoBool(query['replicate']) };
  const version = query['version'];
  if (version !== undefined) {
    if (!/^\d{1,16}$/.test(version) || !Number.isSafeInteger(Number(version))) {
      throw new MalformedWireError('version', 'invalid version');
    }
    out.version = Number(version);
  }
  if (query['origin'] !== undefined) out.origin = query['origin'];
  return out;
}

/** Decodes a parsed `GET /internal/keys` answer (§12); `keys: null` (Go nil slice) reads as `[]`. */
export function decodeKeysPage(body: unknown): KeysPageBody {
  const b = parse(keysPageSchema, body, '');
  return { keys: b.keys ?? [], next_cursor: b.next_cursor, truncated: b.truncated ?? false };
}

/** Parses JSON text, throwing {@link MalformedWireError} (`body`) instead of a SyntaxError. */
export function parseWireJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new MalformedWireError('body', 'invalid JSON', { cause: e });
  }
}

/** Throws {@link MalformedWireError} unless `key` is a non-empty, well-formed string. */
export function checkKey(key: unknown, field = 'key'): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new MalformedWireError(field, 'empty key');
  checkWellFormed(key, field);
}

function checkWellFormed(s: string, field: string): void {
  if (!s.isWellFormed()) throw new MalformedWireError(field, 'not well-formed Unicode (lone surrogate)');
}

function checkItem(item: WireItem): void {
  parse(wireItemSchema, item, 'item');
}

function parse<T>(schema: z.ZodType<T>, input: unknown, prefix: string): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
  throw new MalformedWireError(path || 'body', issue.message, { cause: r.error });
}

function base64Of(value: Uint8Array): string {
  const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return buf.toString('base64');
}

function rfc3339Of(ms: number, field: string): string {
  const s = formatRfc3339(ms);
  if (s === undefined) throw new MalformedWireError(field, `must be an integer epoch ms in [${MIN_RFC3339_MS}, ${MAX_RFC3339_MS}], got ${ms}`);
  return s;
}

function nsToMs(ns: number): number {
  const ms = Math.min(Math.round(ns / 1_000_000), MAX_WIRE_TTL_MS);
  return ms === 0 && ns > 0 ? 1 : ms;
}

function derivedExpiry(ttlMs: number, nowMs: number): number {
  return ttlMs > 0 ? nowMs + ttlMs : 0;
}

function parseGoBool(v: string | undefined): boolean {
  // Go's `q.Get` cannot tell absent from empty: both mean the default.
  if (v === undefined || v === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new MalformedWireError('replicate', 'invalid replicate');
}
