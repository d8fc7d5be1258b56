import fc from 'fast-check';
import type { CacheItem } from '@hypercache/cache-engine';
import { Packr } from 'msgpackr';
import { createRecordCodec } from './record-codec';

const packr = new Packr({ useRecords: false, moreTypes: true });

/** A JSON value without -0 (JSON has no negative zero) and without undefined members. */
const anyJsonValue = fc.jsonValue({ noUnicodeString: false }).filter((v) => v !== null).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
/** Whether `v` holds an own `__proto__` key at any depth (msgpackr decodes it as `__proto_`: decisions B10). */
function hasProtoKey(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  return Object.keys(v).some((k) => k === '__proto__' || hasProtoKey((v as Record<string, unknown>)[k]));
}
const bytes = fc.uint8Array({ maxLength: 2_048 }).map((a) => Buffer.from(a));
const ms = fc.integer({ min: 0, max: 2 ** 47 });

function recordOf<V>(value: fc.Arbitrary<V>): fc.Arbitrary<CacheItem<V>> {
  return fc.record({
    key: fc.string({ minLength: 1 }),
    value,
    size: fc.nat(),
    version: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    origin: fc.string(),
    lastUpdatedMs: ms,
    lastAccessMs: ms,
    ttlMs: fc.nat(),
    expiresAtMs: ms,
    accessCount: fc.nat(),
  });
}

describe('record codec', () => {
  for (const name of ['msgpack', 'json'] as const) {
    describe(name, () => {
      const codec = createRecordCodec<unknown>(name);
      const jsonValue = name === 'msgpack' ? anyJsonValue.filter((v) => !hasProtoKey(v)) : anyJsonValue;

      it('round-trips every field of a record with a JSON value', () => {
        fc.assert(
          fc.property(recordOf(jsonValue), (item) => {
            expect(codec.decode(codec.encode(item))).toEqual(item);
          }),
        );
      });

      it('round-trips a Buffer value byte-exact, as a Buffer', () => {
        fc.assert(
          fc.property(recordOf(bytes), (item) => {
            const got = codec.decode(codec.encode(item));
            expect(Buffer.isBuffer(got.value)).toBe(true);
            expect((got.value as Buffer).equals(item.value)).toBe(true);
            expect({ ...got, value: null }).toEqual({ ...item, value: null });
          }),
        );
      });

      it('sizes a value by its own encoding: a share of the stored bytes', () => {
        fc.assert(
          fc.property(recordOf(jsonValue), (item) => {
            const size = codec.sizeOf(item.value);
            const alone = codec.encode({ ...item, value: item.value });
            expect(size).toBeGreaterThan(0);
            expect(size).toBeLessThan(alone.length);
            expect(codec.decode(alone)).toEqual(item);
          }),
        );
      });

      it('sizes strings and bytes exactly as the serializer encodes them alone', () => {
        const alone = (v: unknown): number => (name === 'json' ? Buffer.byteLength(v instanceof Uint8Array ? `"${Buffer.from(v).toString('base64')}"` : JSON.stringify(v)) : packr.pack(v).length);
        fc.assert(
          fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 70_000 }), fc.string({ maxLength: 300 }), bytes, fc.integer({ min: 0, max: 70_000 }).map((n) => Buffer.alloc(n, 7))), (v) => {
            expect(codec.sizeOf(v)).toBe(alone(v));
          }),
          { numRuns: 200 },
        );
      });

      it('encodes an object as it is when written, not as it was when sized', () => {
        const v = { n: 1 };
        codec.sizeOf(v);
        v.n = 2;
        const item = { key: 'k', value: v, size: 1, version: 1, origin: 'o', lastUpdatedMs: 1, lastAccessMs: 1, ttlMs: 0, expiresAtMs: 0, accessCount: 0 };
        const first = codec.decode(codec.encode(item));
        expect(first.value).toEqual({ n: 2 });
      });

      it(name === 'json' ? 'keeps an own __proto__ key of a value' : 'decodes an own __proto__ key as __proto_, never as the prototype (decisions B10)', () => {
        const value = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
        const item = { key: 'k', value, size: 1, version: 1, origin: 'o', lastUpdatedMs: 1, lastAccessMs: 1, ttlMs: 0, expiresAtMs: 0, accessCount: 0 };
        const got = codec.decode(codec.encode(item)).value as Record<string, unknown>;
        expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.keys(got)).toEqual(name === 'json' ? ['__proto__', 'a'] : ['__proto_', 'a']);
      });

      it('rejects bytes that are not a record', () => {
        expect(() => codec.decode(Buffer.from('plain text'))).toThrow();
        expect(() => codec.decode(Buffer.from(JSON.stringify({ h: [9, 'k'], v: 1 })))).toThrow();
      });
    });
  }
});
