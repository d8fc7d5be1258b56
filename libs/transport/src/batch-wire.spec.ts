import fc from 'fast-check';
import { Packr } from 'msgpackr';
import {
  checkBatchOp,
  decodeBatchRequest,
  decodeBatchResponse,
  encodeBatchRequest,
  encodeBatchResponse,
  MAX_BATCH_OPS,
  type BatchOp,
  type BatchResult,
} from './batch-wire';
import { MalformedWireError } from './errors';
import { MAX_WIRE_TTL_MS } from './wire';

const NOW = 1_767_225_600_000;
const now = () => NOW;
const raw = new Packr({ useRecords: false });

const wellFormed = fc.string({ minLength: 1, unit: 'grapheme' });
const setOp = fc.record({
  kind: fc.constant('set' as const),
  item: fc.record({
    key: wellFormed,
    value: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    version: fc.maxSafeNat(),
    origin: fc.string({ unit: 'grapheme' }),
    ttlMs: fc.integer({ min: 0, max: MAX_WIRE_TTL_MS }),
    expiresAtMs: fc.maxSafeNat(),
    lastUpdatedMs: fc.constant(NOW),
  }),
  replicate: fc.boolean(),
});
const removeOp = fc.record(
  {
    kind: fc.constant('remove' as const),
    key: wellFormed,
    replicate: fc.boolean(),
    version: fc.maxSafeNat(),
    origin: fc.string({ unit: 'grapheme' }),
  },
  { requiredKeys: ['kind', 'key', 'replicate'] },
);

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedWireError);
    return (e as MalformedWireError).field;
  }
  throw new Error('expected MalformedWireError');
}

describe('batch wire codec', () => {
  it('round-trips any batch of set and remove operations, value bytes exact, receiver clock stamped', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(setOp, removeOp), { maxLength: 20 }), (ops: BatchOp[]) => {
        ops.forEach(checkBatchOp);
        const decoded = decodeBatchRequest(encodeBatchRequest(ops), now);
        expect(decoded).toEqual(ops);
        decoded.forEach((op, i) => {
          if (op.kind === 'set') expect(op.item.value.equals((ops[i] as typeof op).item.value)).toBe(true);
        });
      }),
    );
  });

  it('copies decoded values out of the request buffer', () => {
    const body = encodeBatchRequest([{ kind: 'set', item: { key: 'k', value: Buffer.from('abc'), version: 1, origin: 'a', ttlMs: 0, expiresAtMs: 0, lastUpdatedMs: 0 }, replicate: false }]);
    const [op] = decodeBatchRequest(body, now);
    body.fill(0);
    expect(op!.kind === 'set' && op.item.value.toString()).toBe('abc');
  });

  it('round-trips per-operation results', () => {
    const results: BatchResult[] = [
      undefined,
      { status: 500, code: 'QUORUM_FAILED', error: 'consistency quorum not achieved' },
      { status: 404, code: 'NOT_FOUND', error: 'not owner' },
      { status: 409, code: 'STALE_VERSION', error: 'a newer version is stored here (42)', version: 42 },
    ];
    expect(decodeBatchResponse(encodeBatchResponse(results), 4)).toEqual(results);
    // Results without a version keep the three-field form older decoders accept.
    expect(raw.unpack(encodeBatchResponse(results.slice(0, 2)))).toEqual([0, [500, 'QUORUM_FAILED', 'consistency quorum not achieved']]);
  });

  it('rejects malformed requests naming the field', () => {
    expect(fieldOf(() => decodeBatchRequest(Buffer.from([0xc1]), now))).toBe('body');
    expect(fieldOf(() => decodeBatchRequest(raw.pack({ ops: [] }), now))).toBe('body');
    expect(fieldOf(() => decodeBatchRequest(raw.pack(new Array(MAX_BATCH_OPS + 1).fill([2, 'k', false, null, null])), now))).toBe('body');
    expect(fieldOf(() => decodeBatchRequest(raw.pack(['x']), now))).toBe('ops[0]');
    expect(fieldOf(() => decodeBatchRequest(raw.pack([[9, 'k']]), now))).toBe('ops[0][0]');
    expect(fieldOf(() => decodeBatchRequest(raw.pack([[1, 'k', Buffer.from('v'), 1, 'a', 0, 0]]), now))).toBe('ops[0]');
    expect(fieldOf(() => decodeBatchRequest(raw.pack([[1, '', Buffer.from('v'), 1, 'a', 0, 0, false]]), now))).toBe('ops[0].key');
    expect(fieldOf(() => decodeBatchRequest(raw.pack([[1, 'k', 'v', 1, 'a', 0, 0, false]]), now))).toBe('ops[0].value');
    expect(fieldOf(() => decodeBatchRequest(raw.pack([[1, 'k', Buffer.from('v'), -1, 'a', 0, 0, false]]), now))).toBe('ops[0].version');
    expect(fieldOf(() => decodeBatchRequest(raw.pack([[1, 'k', Buffer.from('v'), 1.5, 'a', 0, 0, false]]), now))).toBe('ops[0].version');
    expect(fieldOf(() => decodeBatchRequest(raw.pack([[1, 'k', Buffer.from('v'), 1, 'a', MAX_WIRE_TTL_MS + 1, 0, false]]), now))).toBe('ops[0].ttlMs');
    expect(fieldOf(() => decodeBatchRequest(raw.pack([[1, 'k', Buffer.from('v'), 1, 'a', 0, 0, 'yes']]), now))).toBe('ops[0].replicate');
    expect(fieldOf(() => decodeBatchRequest(raw.pack([[2, 'k', false, 'v1', null]]), now))).toBe('ops[0].version');
    expect(fieldOf(() => decodeBatchRequest(raw.pack([[2, 42, false, null, null]]), now))).toBe('ops[0].key');
  });

  it('rejects a result list of the wrong length or shape', () => {
    expect(fieldOf(() => decodeBatchResponse(encodeBatchResponse([undefined]), 2))).toBe('body');
    expect(fieldOf(() => decodeBatchResponse(raw.pack([1]), 1))).toBe('results[0]');
    expect(fieldOf(() => decodeBatchResponse(raw.pack([[409, 'STALE_VERSION', 'x', -1]]), 1))).toBe('results[0][3]');
    expect(fieldOf(() => decodeBatchResponse(raw.pack([[409, 'STALE_VERSION', 'x', 1, 2]]), 1))).toBe('results[0]');
  });

  it('checks an operation locally before it joins a batch', () => {
    const item = { key: 'k', value: Buffer.from('v'), version: 1, origin: 'a', ttlMs: 0, expiresAtMs: 0, lastUpdatedMs: 0 };
    expect(fieldOf(() => checkBatchOp({ kind: 'set', item: { ...item, key: '' }, replicate: false }))).toBe('key');
    expect(fieldOf(() => checkBatchOp({ kind: 'set', item: { ...item, version: 1.5 }, replicate: false }))).toBe('item.version');
    expect(fieldOf(() => checkBatchOp({ kind: 'remove', key: 'k', replicate: false, version: -2 }))).toBe('version');
  });
});
