import { MEMBERSHIP_ERROR_CODES } from './errors';
import { deriveNodeId, parseSeeds } from './seeds';
import { loadXxhash64, type Xxhash64 } from '@hypercache/hashing';

const SELF = { id: 'node-1', address: 'hypercache-1:7946' };

describe('parseSeeds', () => {
  let hasher: Xxhash64;
  beforeAll(async () => {
    hasher = await loadXxhash64();
  });

  it('derives the upstream ID of a bare address (§2 example)', () => {
    expect(deriveNodeId('hypercache-2:7946', hasher)).toBe('c5b3434d57089a44');
  });

  it.each([
    ['node-2@hypercache-2:7946', [{ id: 'node-2', address: 'hypercache-2:7946', idDerived: false }]],
    ['hypercache-2:7946', [{ id: 'c5b3434d57089a44', address: 'hypercache-2:7946', idDerived: true }]],
    [' node-2@h2:7946 , , node-3@h3:7946 ,', [
      { id: 'node-2', address: 'h2:7946', idDerived: false },
      { id: 'node-3', address: 'h3:7946', idDerived: false },
    ]],
    // First @ splits: ID "a", address "b@h2:7946", whose host "b@h2" is not a host.
    ['a@b@h2:7946', 'INVALID'],
    ['weird id@h2:7946', [{ id: 'weird id', address: 'h2:7946', idDerived: false }]],
    ['node-6@[::1]:7946', [{ id: 'node-6', address: '[::1]:7946', idDerived: false }]],
    ['node-7@10.0.0.7:1', [{ id: 'node-7', address: '10.0.0.7:1', idDerived: false }]],
    ['', []],
    [' , ,', []],
  ])('parses %j', (raw, expected) => {
    if (expected === 'INVALID') {
      expect(() => parseSeeds(raw, SELF, hasher)).toThrow(expect.objectContaining({ code: 'INVALID_SEED' }));
    } else {
      expect(parseSeeds(raw, SELF, hasher)).toEqual(expected);
    }
  });

  it.each([
    ['node-1@other:7946', 'same ID'],
    ['node-9@hypercache-1:7946', 'same address, other ID'],
    ['hypercache-1:7946', 'same address, derived ID'],
  ])('skips self: %j (%s)', (entry) => {
    expect(parseSeeds(`${entry},node-2@h2:7946`, SELF, hasher).map((s) => s.id)).toEqual(['node-2']);
  });

  it('skips a bare address whose derived ID is the local ID', () => {
    const self = { id: deriveNodeId('h2:7946', hasher), address: 'elsewhere:7946' };
    expect(parseSeeds('h2:7946', self, hasher)).toEqual([]);
  });

  it('accepts the entries as an array', () => {
    expect(parseSeeds([' node-2@h2:7946', ''], SELF, hasher)).toEqual([{ id: 'node-2', address: 'h2:7946', idDerived: false }]);
  });

  it.each([
    ['@h2:7946', 'empty ID'],
    ['node-2@', 'empty address'],
    ['node-2@h2', 'no port'],
    ['node-2@h2:', 'empty port'],
    ['node-2@h2:0', 'port 0'],
    ['node-2@h2:65536', 'port too big'],
    ['node-2@h2:http', 'named port'],
    ['node-2@:7946', 'empty host'],
    ['node-2@h 2:7946', 'space in host'],
    ['node-2@::1:7946', 'unbracketed IPv6'],
    ['node-2@http://h2:7946', 'URL'],
    ['h2', 'bare host without port'],
  ])('rejects %j (%s) naming the entry', (entry) => {
    let error: unknown;
    try {
      parseSeeds(`node-3@h3:7946, ${entry}`, SELF, hasher);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: MEMBERSHIP_ERROR_CODES.invalidSeed, entry });
  });
});
