/**
 * An entry as kept in L1 (live value, no serialization) and, through {@link encodeEnvelope}, in L2.
 * Times are epoch ms. Logical expiry ends freshness; physical expiry ends existence (§3, §6).
 */
export interface CacheEntry<T = unknown> {
  value: T;
  /** When the value was produced (eager refresh ratio, tag invalidation comparisons). */
  createdAt: number;
  /** Fresh while `now < logicalExpiry`. */
  logicalExpiry: number;
  /** Absent once `now >= physicalExpiry` (TS MUST, §6: physically expired entries are never used). */
  physicalExpiry: number;
  /** Tags, including the hidden namespace tags; `undefined` when none. */
  tags: readonly string[] | undefined;
  /** Bytes charged to the bounded L1. */
  size: number;
  /** An eager refresh is running for this entry (§5: at most one). */
  refreshing: boolean;
}

/** The L2 envelope (§11): `v` base64 of the serializer output, `le`/`pe` expiries, `t` tags, `c` created (TS addition). */
interface Envelope {
  v: string;
  le: number;
  pe: number;
  t?: string[];
  c?: number;
}

/** A decoded L2 envelope: the serialized value bytes and the entry's metadata. */
export interface DecodedEnvelope {
  bytes: Uint8Array;
  createdAt: number;
  logicalExpiry: number;
  physicalExpiry: number;
  tags: readonly string[] | undefined;
}

/** Encodes the L2 envelope; `c` (createdAt) is a TS addition readers of the upstream form may ignore. */
export function encodeEnvelope(bytes: Uint8Array, createdAt: number, logicalExpiry: number, physicalExpiry: number, tags: readonly string[] | undefined): Buffer {
  const env: Envelope = { v: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), le: logicalExpiry, pe: physicalExpiry };
  if (tags !== undefined && tags.length > 0) env.t = tags as string[];
  env.c = createdAt;
  return Buffer.from(JSON.stringify(env), 'utf8');
}

/** Decodes an L2 envelope; throws on a malformed one. An envelope without `c` gets `le − duration` unknown → `0`. */
export function decodeEnvelope(raw: Uint8Array): DecodedEnvelope {
  const env = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8')) as Envelope;
  if (typeof env !== 'object' || env === null || typeof env.v !== 'string' || typeof env.le !== 'number' || typeof env.pe !== 'number') {
    throw new TypeError('malformed L2 envelope');
  }
  return {
    bytes: Buffer.from(env.v, 'base64'),
    createdAt: typeof env.c === 'number' ? env.c : 0,
    logicalExpiry: env.le,
    physicalExpiry: env.pe,
    tags: Array.isArray(env.t) && env.t.length > 0 ? env.t : undefined,
  };
}
