import { encodeBatchRequest } from './batch-wire';
import { HTTP_PEER_TRANSPORT_DEFAULTS, resolveHttpPeerTransportOptions } from './http-peer-transport-options';
import { MIN_PEER_BODY_LIMIT_BYTES, peerBodyLimitBytes } from './peer-body-limit';
import { encodeSetRequest } from './wire';

const MIB = 1024 * 1024;

describe(peerBodyLimitBytes.name, () => {
  it.each([
    // [max value bytes, max key length, expected cap]
    [4 * MIB, 1024, 16 * MIB],
    [1, 1, 16 * MIB],
    [12 * MIB, 1024, 16 * MIB + 6 * 1024 + 64 * 1024],
    [64 * MIB, 65_536, Math.ceil((64 * MIB) / 3) * 4 + 6 * 65_536 + 64 * 1024],
  ])('max value %i B, key %i chars → %i B', (maxValueBytes, maxKeyLength, expected) => {
    expect(peerBodyLimitBytes({ maxValueBytes, maxKeyLength })).toBe(expected);
  });

  it('fits the largest single-item JSON message and the largest batch for the settings it was given', () => {
    const maxValueBytes = 32 * MIB;
    const maxKeyLength = 4096;
    const cap = peerBodyLimitBytes({ maxValueBytes, maxKeyLength });
    // A key of control characters is the worst case of JSON escaping (\\u0001: 6 bytes each).
    const item = { key: '\u0001'.repeat(maxKeyLength), value: Buffer.alloc(maxValueBytes), version: Number.MAX_SAFE_INTEGER, origin: 'node-with-a-long-name', ttlMs: 1, expiresAtMs: Number.MAX_SAFE_INTEGER, lastUpdatedMs: 0 };
    expect(Buffer.byteLength(JSON.stringify(encodeSetRequest(item, true)))).toBeLessThanOrEqual(cap);
    expect(encodeBatchRequest([{ kind: 'set', item, replicate: true }]).length).toBeLessThanOrEqual(cap);
  });

  it('leaves the default batch byte bound at most half of the smallest cap', () => {
    expect(resolveHttpPeerTransportOptions().batchMaxBytes).toBe(HTTP_PEER_TRANSPORT_DEFAULTS.batchMaxBytes);
    expect(HTTP_PEER_TRANSPORT_DEFAULTS.batchMaxBytes * 2).toBeLessThanOrEqual(MIN_PEER_BODY_LIMIT_BYTES);
  });
});
