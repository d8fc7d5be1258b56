import fc from 'fast-check';
import { MalformedWireError, TransportErrorCode } from './errors';
import { MAX_RFC3339_MS, MIN_RFC3339_MS } from './rfc3339';
import {
  MAX_WIRE_TTL_MS,
  decodeGetResponse,
  decodeKeysPage,
  decodeRemoveQuery,
  decodeSetRequest,
  encodeGetResponse,
  encodeRemoveQuery,
  encodeSetRequest,
  parseWireJson,
  type WireItem,
} from './wire';

const viaJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const wireItemArb: fc.Arbitrary<WireItem> = fc.record({
  key: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  value: fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
  version: fc.maxSafeNat(),
  origin: fc.string({ unit: 'binary', maxLength: 20 }),
  ttlMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: MAX_WIRE_TTL_MS })),
  expiresAtMs: fc.oneof(fc.constant(0), fc.maxSafeNat()),
  lastUpdatedMs: fc.integer({ min: MIN_RFC3339_MS, max: MAX_RFC3339_MS }),
});

function errorOf(fn: () => unknown): MalformedWireError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MalformedWireError) return e;
    throw e;
  }
  throw new Error('expected a MalformedWireError');
}

function item(over: Partial<WireItem> = {}): WireItem {
  return {
    key: 'k',
    value: Buffer.from('world'),
    version: 7,
    origin: 'node-2',
    ttlMs: 30_000,
    expiresAtMs: 1_767_225_630_000,
    lastUpdatedMs: 1_767_225_600_123,
    ...over,
  };
}

describe('wire set request', () => {
  it('round-trips any item through encode → JSON → decode (receiver stamps lastUpdatedMs)', () => {
    fc.assert(
      fc.property(wireItemArb, fc.boolean(), (it, replicate) => {
        const decoded = decodeSetRequest(viaJson(encodeSetRequest(it, replicate)), () => it.lastUpdatedMs);
        expect(decoded.replicate).toBe(replicate);
        expect(decoded.item).toEqual(it);
        expect(decoded.item.value.equals(it.value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('uses the exact upstream field names, value in base64 and expiration in ms', () => {
    const body = viaJson(encodeSetRequest(item(), false));
    expect(body).toEqual({
      key: 'k',
      value: 'd29ybGQ=',
      expiration_ms: 30_000,
      version: 7,
      origin: 'node-2',
      replicate: false,
      expires_at_ms: 1_767_225_630_000,
    });
  });

  it('keeps NUL, invalid UTF-8 and empty values byte for byte', () => {
    for (const value of [Buffer.alloc(0), Buffer.from([0, 0, 0]), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x00, 0x80])]) {
      const got = decodeSetRequest(viaJson(encodeSetRequest(item({ value }), true)), () => 0).item.value;
      expect(got.equals(value)).toBe(true);
    }
  });

  it('accepts an upstream body without expires_at_ms and derives it from the receiver clock', () => {
    const upstream = { key: 'k', value: 'd29ybGQ=', expiration_ms: 30_000, version: 7, origin: 'node-2', replicate: false };
    const { item: got } = decodeSetRequest(upstream, () => 1_000);
    expect(got).toMatchObject({ ttlMs: 30_000, expiresAtMs: 31_000, lastUpdatedMs: 1_000 });
    expect(decodeSetRequest({ ...upstream, expiration_ms: 0 }, () => 1_000).item.expiresAtMs).toBe(0);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['missing key', { key: undefined }, 'key'],
    ['empty key', { key: '' }, 'key'],
    ['lone surrogate key', { key: 'a\ud800' }, 'key'],
    ['non-base64 value', { value: 'not base64!' }, 'value'],
    ['unpadded base64 value', { value: 'd29ybGQ' }, 'value'],
    ['numeric value', { value: 5 }, 'value'],
    ['negative ttl', { expiration_ms: -1 }, 'expiration_ms'],
    ['fractional ttl', { expiration_ms: 1.5 }, 'expiration_ms'],
    ['ttl beyond int64 ns', { expiration_ms: MAX_WIRE_TTL_MS + 1 }, 'expiration_ms'],
    ['unsafe version', { version: 2 ** 53 }, 'version'],
    ['string version', { version: '7' }, 'version'],
    ['missing replicate', { replicate: undefined }, 'replicate'],
    ['string replicate', { replicate: 'true' }, 'replicate'],
    ['negative expires_at_ms', { expires_at_ms: -5 }, 'expires_at_ms'],
  ])('rejects %s with BAD_REQUEST naming the field', (_name, patch, field) => {
    const body = { ...viaJson(encodeSetRequest(item(), false)) as object, ...patch };
    const e = errorOf(() => decodeSetRequest(body, () => 0));
    expect(e.code).toBe(TransportErrorCode.BadRequest);
    expect(e.field).toBe(field);
  });

  it.each([null, [], 'x', 42])('rejects a body that is not an object (%p)', (body) => {
    expect(errorOf(() => decodeSetRequest(body, () => 0)).code).toBe('BAD_REQUEST');
  });

  it('refuses to encode an item that could not round-trip', () => {
    expect(errorOf(() => encodeSetRequest(item({ key: '\udc00' }), false)).field).toBe('item.key');
    expect(errorOf(() => encodeSetRequest(item({ ttlMs: 0.5 }), false)).field).toBe('item.ttlMs');
    expect(errorOf(() => encodeSetRequest(item({ version: -1 }), false)).field).toBe('item.version');
    expect(errorOf(() => encodeSetRequest(item({ value: 'str' as unknown as Buffer }), false)).field).toBe('item.value');
  });

  it('encodes a Uint8Array view of a larger buffer by its own bytes only', () => {
    const backing = Buffer.from('xxhelloxx');
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 5);
    expect(encodeSetRequest(item({ value: view as Buffer }), false).value).toBe(Buffer.from('hello').toString('base64'));
  });
});

describe('wire get response', () => {
  it('round-trips any item through encode → JSON → decode', () => {
    fc.assert(
      fc.property(wireItemArb, (it) => {
        const decoded = decodeGetResponse(viaJson(encodeGetResponse(it)), () => 0);
        expect(decoded).toEqual(it);
      }),
      { numRuns: 500 },
    );
  });

  it('emits Go PascalCase fields with Expiration in nanoseconds and RFC 3339 times', () => {
    const body = viaJson(encodeGetResponse(item(), { accessCount: 2, lastAccessMs: 1_767_225_601_000 }));
    expect(body).toEqual({
      found: true,
      item: {
        Key: 'k',
        Value: 'd29ybGQ=',
        LastAccess: '2026-01-01T00:00:01.000Z',
        LastUpdated: '2026-01-01T00:00:00.123Z',
        Size: 5,
        Expiration: 30_000_000_000,
        AccessCount: 2,
        Version: 7,
        Origin: 'node-2',
        expires_at_ms: 1_767_225_630_000,
      },
    });
  });

  it('reads an upstream Expiration as nanoseconds, not milliseconds (upstream ×10^6 bug)', () => {
    const upstream = {
      found: true,
      item: {
        Key: 'k',
        Value: 'd29ybGQ=',
        LastAccess: '2026-01-01T00:00:01.123456789Z',
        LastUpdated: '2026-01-01T01:00:00.987654321+01:00',
        Size: 5,
        Expiration: 30_000_000_000,
        AccessCount: 2,
        Version: 7,
        Origin: 'node-2',
      },
    };
    const got = decodeGetResponse(upstream, () => 5_000)!;
    expect(got.ttlMs).toBe(30_000);
    expect(got.expiresAtMs).toBe(35_000);
    expect(got.lastUpdatedMs).toBe(Date.UTC(2026, 0, 1, 0, 0, 0, 987));
    expect(got.value.toString()).toBe('world');
  });

  it.each<[number, number]>([
    [0, 0],
    [1, 1], // a positive sub-ms TTL must not turn into "never expires"
    [499_999, 1],
    [1_500_000, 2],
    [86_400_000_000_000, 86_400_000],
    [9_223_372_036_854_775_807, MAX_WIRE_TTL_MS], // int64 max clamps to what re-encodes
  ])('converts Expiration %d ns to %d ms', (ns, ms) => {
    const body = viaJson(encodeGetResponse(item()));
    (body as { item: { Expiration: number } }).item.Expiration = ns;
    expect(decodeGetResponse(body, () => 0)!.ttlMs).toBe(ms);
  });

  it('decodes {found:false} to undefined and encodes undefined to it', () => {
    expect(decodeGetResponse({ found: false }, () => 0)).toBeUndefined();
    expect(encodeGetResponse(undefined)).toEqual({ found: false });
  });

  it.each<[string, unknown, string]>([
    ['found missing', {}, 'found'],
    ['found:true without item', { found: true }, 'item'],
    ['bad LastUpdated', { LastUpdated: '2026-13-01T00:00:00Z' }, 'item.LastUpdated'],
    ['Feb 30', { LastUpdated: '2026-02-30T00:00:00Z' }, 'item.LastUpdated'],
    ['time without zone', { LastUpdated: '2026-01-01T00:00:00' }, 'item.LastUpdated'],
    ['negative Expiration', { Expiration: -1 }, 'item.Expiration'],
    ['fractional Expiration', { Expiration: 1.5 }, 'item.Expiration'],
    ['Expiration above int64', { Expiration: 2 ** 64 }, 'item.Expiration'],
    ['bad Value', { Value: '***' }, 'item.Value'],
  ])('rejects %s with BAD_REQUEST naming the field', (_name, patch, field) => {
    const good = viaJson(encodeGetResponse(item())) as { found: true; item: object };
    const body = _name.startsWith('found') ? patch : { found: true, item: { ...good.item, ...(patch as object) } };
    const e = errorOf(() => decodeGetResponse(body, () => 0));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.field).toBe(field);
  });

  it("encodes Go's zero time and refuses years past 9999", () => {
    const zero = encodeGetResponse(item({ lastUpdatedMs: MIN_RFC3339_MS })) as { item: { LastUpdated: string } };
    expect(zero.item.LastUpdated).toBe('0001-01-01T00:00:00.000Z');
    expect(errorOf(() => encodeGetResponse(item({ lastUpdatedMs: MAX_RFC3339_MS + 1 }))).field).toBe('item.lastUpdatedMs');
  });
});

describe('wire remove query', () => {
  it('round-trips key, replicate, version and origin through a URL query', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1 }),
        fc.boolean(),
        fc.option(fc.maxSafeNat(), { nil: undefined }),
        fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
        (key, replicate, version, origin) => {
          const q = Object.fromEntries(new URLSearchParams(encodeRemoveQuery({ key, replicate, version, origin })));
          const got = decodeRemoveQuery(q);
          expect(got).toEqual({ key, replicate, ...(version !== undefined && { version }), ...(origin !== undefined && { origin }) });
        },
      ),
    );
  });

  it('defaults replicate to false and accepts Go ParseBool spellings', () => {
    expect(decodeRemoveQuery({ key: 'k' }).replicate).toBe(false);
    expect(decodeRemoveQuery({ key: 'k', replicate: '' }).replicate).toBe(false);
    expect(decodeRemoveQuery({ key: 'k', replicate: 'T' }).replicate).toBe(true);
    expect(decodeRemoveQuery({ key: 'k', replicate: '0' }).replicate).toBe(false);
  });

  it.each<[Record<string, string>, string]>([
    [{}, 'key'],
    [{ key: '' }, 'key'],
    [{ key: 'k', replicate: 'yes' }, 'replicate'],
    [{ key: 'k', version: '-1' }, 'version'],
    [{ key: 'k', version: '1e3' }, 'version'],
    [{ key: 'k', version: '99999999999999999' }, 'version'],
  ])('rejects %p naming %s', (q, field) => {
    expect(errorOf(() => decodeRemoveQuery(q)).field).toBe(field);
  });

  it('refuses keys that a query string cannot carry', () => {
    expect(errorOf(() => encodeRemoveQuery({ key: 'x\ud800', replicate: false })).field).toBe('key');
  });
});

describe('wire keys page', () => {
  it('decodes pages, reading a Go nil slice as no keys', () => {
    expect(decodeKeysPage({ keys: ['a'], next_cursor: '1', truncated: false })).toEqual({ keys: ['a'], next_cursor: '1', truncated: false });
    expect(decodeKeysPage({ keys: null, next_cursor: '' })).toEqual({ keys: [], next_cursor: '', truncated: false });
  });

  it.each([{ keys: 'a', next_cursor: '' }, { keys: [], next_cursor: 'x' }, { keys: [], next_cursor: '-1' }, { keys: [1], next_cursor: '' }])(
    'rejects %p',
    (body) => {
      expect(errorOf(() => decodeKeysPage(body)).code).toBe('BAD_REQUEST');
    },
  );
});

describe('parseWireJson', () => {
  it('turns a syntax error into BAD_REQUEST on body', () => {
    const e = errorOf(() => parseWireJson('{"key":'));
    expect([e.code, e.field]).toEqual(['BAD_REQUEST', 'body']);
  });
});
