import { Packr } from 'msgpackr';
import type { CacheItem } from '@hypercache/cache-engine';
import type { RedisSerializerName } from './redis-options';

/** Format tag of a stored record (first header field); bumped if the layout ever changes. */
const FORMAT = 1;

/**
 * Encodes a whole engine record (every `CacheItem` field) to the bytes stored at its Redis key,
 * and back. `sizeOf` is the engine's sizer for this serializer: the byte length of the encoded
 * value (engine.md §4 "serializer-aware sizing", config.md B.3). Buffers round-trip byte-exact as
 * `Buffer`s.
 */
export interface RecordCodec<V = unknown> {
  /** `msgpack` or `json`. */
  readonly name: RedisSerializerName;
  /** Bytes to store for `item`. */
  encode(item: Readonly<CacheItem<V>>): Buffer;
  /** The record stored as `bytes` (a fresh object the caller owns). Throws on foreign or corrupt bytes. */
  decode(bytes: Buffer): CacheItem<V>;
  /** Byte length of the serializer's encoding of `value`. */
  sizeOf(value: V): number;
}

/** Builds the codec of a serializer. */
export function createRecordCodec<V>(name: RedisSerializerName): RecordCodec<V> {
  return name === 'json' ? new JsonRecordCodec<V>() : new MsgpackRecordCodec<V>();
}

type Header = [format: number, key: string, size: number, version: number, origin: string, lastUpdatedMs: number, lastAccessMs: number, ttlMs: number, expiresAtMs: number, accessCount: number];

function headerOf(item: Readonly<CacheItem<unknown>>): Header & unknown[] {
  return [FORMAT, item.key, item.size, item.version, item.origin, item.lastUpdatedMs, item.lastAccessMs, item.ttlMs, item.expiresAtMs, item.accessCount];
}

function itemFrom<V>(h: unknown, value: V): CacheItem<V> {
  if (!Array.isArray(h) || h.length !== 10 || h[0] !== FORMAT || typeof h[1] !== 'string') throw new TypeError('not a hypercache record');
  return { key: h[1], value, size: h[2], version: h[3], origin: h[4], lastUpdatedMs: h[5], lastAccessMs: h[6], ttlMs: h[7], expiresAtMs: h[8], accessCount: h[9] };
}

/**
 * MessagePack (msgpackr): one array, the header fields then the value (one `pack`, one copy per
 * write). `sizeOf` is the length of the value's own MessagePack encoding, computed without
 * encoding for strings and bytes (their header length is fixed by the payload length). Keeps
 * `Buffer`, typed arrays, `Date`, `Map`, `Set`.
 */
class MsgpackRecordCodec<V> implements RecordCodec<V> {
  readonly name = 'msgpack' as const;
  readonly #packr = new Packr({ useRecords: false, moreTypes: true, copyBuffers: true });

  sizeOf(value: V): number {
    if (typeof value === 'string') {
      const n = Buffer.byteLength(value, 'utf8');
      return n + (n < 32 ? 1 : n < 256 ? 2 : n < 65_536 ? 3 : 5);
    }
    if (Buffer.isBuffer(value)) {
      const n = value.length;
      return n + (n < 256 ? 2 : n < 65_536 ? 3 : 5);
    }
    return this.#packr.pack(value).length;
  }

  encode(item: Readonly<CacheItem<V>>): Buffer {
    const h = headerOf(item);
    h.push(item.value);
    // pack() answers a view of a reused buffer: copy it (ioredis may hold it until the socket takes it).
    return Buffer.from(this.#packr.pack(h));
  }

  decode(bytes: Buffer): CacheItem<V> {
    const a = this.#packr.unpack(bytes) as unknown[];
    if (!Array.isArray(a) || a.length !== 11) throw new TypeError('not a hypercache record');
    const value = a.pop() as V;
    return itemFrom(a, value);
  }
}

/**
 * JSON: `{"h":[header…],"v":value}`, or `{"h":[…],"b":"<base64>"}` for a `Buffer`/`Uint8Array`
 * value (decoded as a `Buffer`). Class instances come back as plain objects (JSON semantics).
 */
class JsonRecordCodec<V> implements RecordCodec<V> {
  readonly name = 'json' as const;

  sizeOf(value: V): number {
    return Buffer.byteLength(this.#valueJson(value), 'utf8');
  }

  encode(item: Readonly<CacheItem<V>>): Buffer {
    const bytes = item.value instanceof Uint8Array;
    const json = `{"h":${JSON.stringify(headerOf(item))},"${bytes ? 'b' : 'v'}":${this.#valueJson(item.value)}}`;
    return Buffer.from(json, 'utf8');
  }

  decode(bytes: Buffer): CacheItem<V> {
    const o = JSON.parse(bytes.toString('utf8')) as { h?: unknown; v?: unknown; b?: unknown };
    if (typeof o.b === 'string') return itemFrom(o.h, Buffer.from(o.b, 'base64') as V);
    if (!('v' in o)) throw new TypeError('not a hypercache record');
    return itemFrom(o.h, o.v as V);
  }

  #valueJson(value: unknown): string {
    if (value instanceof Uint8Array) return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`a value of type ${typeof value} is not JSON-serializable`);
    return json;
  }
}
