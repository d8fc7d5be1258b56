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

/** The upstream JSON L2 envelope (§11): `v` base64 of the serializer output, `le`/`pe` expiries, `t` tags, `c` created. Read only. */
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

/** First byte of the binary envelope (version 1); a JSON envelope starts with `{`. */
const BINARY_ENVELOPE = 0xb1;
const HEADER_BYTES = 27;

/**
 * Encodes the L2 envelope (§11). TS decision: a binary form — magic byte, created / logical /
 * physical expiry as float64, the tags as a length-prefixed JSON array, then the serializer's bytes
 * as they are — instead of JSON with the value in base64 (no base64, no second JSON parse on the
 * L2 hit path). {@link decodeEnvelope} still reads the JSON form.
 */
export function encodeEnvelope(bytes: Uint8Array, createdAt: number, logicalExpiry: number, physicalExpiry: number, tags: readonly string[] | undefined): Buffer {
  const tagJson = tags !== undefined && tags.length > 0 ? Buffer.from(JSON.stringify(tags), 'utf8') : undefined;
  const tagBytes = tagJson?.byteLength ?? 0;
  if (tagBytes > 0xffff) throw new RangeError('tags of one entry exceed 64 KiB');
  const out = Buffer.allocUnsafe(HEADER_BYTES + tagBytes + bytes.byteLength);
  out[0] = BINARY_ENVELOPE;
  out.writeDoubleLE(createdAt, 1);
  out.writeDoubleLE(logicalExpiry, 9);
  out.writeDoubleLE(physicalExpiry, 17);
  out.writeUInt16LE(tagBytes, 25);
  if (tagJson !== undefined) tagJson.copy(out, HEADER_BYTES);
  out.set(bytes, HEADER_BYTES + tagBytes);
  return out;
}

/** Decodes an L2 envelope (binary, or the upstream JSON form); throws on a malformed one. */
export function decodeEnvelope(raw: Uint8Array): DecodedEnvelope {
  const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (buf[0] === BINARY_ENVELOPE && buf.byteLength >= HEADER_BYTES) {
    const tagBytes = buf.readUInt16LE(25);
    const tags = tagBytes === 0 ? undefined : (JSON.parse(buf.toString('utf8', HEADER_BYTES, HEADER_BYTES + tagBytes)) as string[]);
    return {
      bytes: buf.subarray(HEADER_BYTES + tagBytes),
      createdAt: buf.readDoubleLE(1),
      logicalExpiry: buf.readDoubleLE(9),
      physicalExpiry: buf.readDoubleLE(17),
      tags,
    };
  }
  const env = JSON.parse(buf.toString('utf8')) as Envelope;
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
