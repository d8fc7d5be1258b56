import { MEMBERSHIP_ERROR_CODES } from './errors';
import { HashRing } from './hash-ring';
import { loadXxhash64, type Xxhash64 } from '@hypercache/hashing';

const FIVE = ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'];

describe(HashRing.name, () => {
  let hasher: Xxhash64;
  beforeAll(async () => {
    hasher = await loadXxhash64();
  });

  describe('golden vectors (dist-protocol.md §3, node-1..node-5, 64 vnodes, RF 3)', () => {
    let sut: HashRing;
    beforeAll(() => {
      sut = new HashRing(hasher, FIVE, { virtualNodes: 64, replication: 3 });
    });

    it.each([
      ['greeting', ['node-5', 'node-4', 'node-1']],
      ['hello', ['node-3', 'node-5', 'node-1']],
      ['sentence', ['node-4', 'node-3', 'node-1']],
      ['pre-1', ['node-1', 'node-5', 'node-2']],
      ['user:42', ['node-2', 'node-4', 'node-3']],
    ])('owners(%j) = %j', (key, owners) => {
      expect(sut.ownersOf(key)).toEqual(owners);
    });

    it('prints the first 3 ring entries as /cluster/ring does', () => {
      expect(sut.dump().slice(0, 3)).toEqual([
        '0018e9cedb208d91:node-2',
        '01170c8bc46262a4:node-4',
        '0127f33241d74b80:node-4',
      ]);
    });

    it('holds 320 vnodes, ascending by hash', () => {
      const vnodes = sut.vnodes();
      expect(vnodes).toHaveLength(320);
      expect(sut.size).toBe(320);
      for (let i = 1; i < vnodes.length; i++) expect(vnodes[i - 1].hash <= vnodes[i].hash).toBe(true);
      expect(sut.dump()).toEqual(vnodes.map((v) => `${v.hash.toString(16).padStart(16, '0')}:${v.nodeId}`));
    });

    it('answers ownersOfHash like ownersOf for the key hash', () => {
      expect(sut.ownersOfHash(hasher.hashString('greeting'))).toBe(sut.ownersOf('greeting'));
    });
  });

  it('defaults to 64 vnodes and RF 1 (library defaults, §3)', () => {
    const sut = new HashRing(hasher, FIVE);
    expect(sut.virtualNodes).toBe(64);
    expect(sut.replication).toBe(1);
    expect(sut.ownersOf('greeting')).toEqual(['node-5']);
  });

  it('returns [] for every key on an empty ring', () => {
    const sut = new HashRing(hasher, [], { replication: 3 });
    expect(sut.ownersOf('greeting')).toEqual([]);
    expect(sut.dump()).toEqual([]);
    expect(sut.vnodes()).toEqual([]);
    expect(sut.members).toEqual([]);
  });

  it.each([
    [1, 3, 1],
    [2, 3, 2],
    [3, 3, 3],
    [5, 3, 3],
    [5, 1, 1],
    [5, 7, 5],
  ])('with %i members and RF %i returns %i owners', (n, rf, len) => {
    const sut = new HashRing(hasher, FIVE.slice(0, n), { replication: rf });
    for (const key of ['a', 'b', 'greeting', 'user:1']) expect(sut.ownersOf(key)).toHaveLength(len);
  });

  it('wraps to the first vnode when the key hash is above the last vnode', () => {
    const sut = new HashRing(hasher, FIVE, { replication: 3 });
    const max = (1n << 64n) - 1n;
    expect(sut.ownersOfHash(max)).toBe(sut.ownersOfHash(0n));
    expect(sut.ownersOfHash(max)[0]).toBe(sut.vnodes()[0].nodeId);
  });

  it('maps a hash equal to a vnode hash to that vnode (first vnode with hash ≥ h)', () => {
    const sut = new HashRing(hasher, FIVE, { replication: 2 });
    const vnodes = sut.vnodes();
    for (const j of [0, 1, 100, 319]) {
      expect(sut.ownersOfHash(vnodes[j].hash)[0]).toBe(vnodes[j].nodeId);
      expect(sut.ownersOfHash(vnodes[j].hash + 1n)[0]).toBe(vnodes[(j + 1) % vnodes.length].nodeId);
    }
  });

  it('collapses duplicate member IDs and sorts members', () => {
    const sut = new HashRing(hasher, ['node-2', 'node-1', 'node-2']);
    expect(sut.members).toEqual(['node-1', 'node-2']);
    expect(sut.size).toBe(128);
  });

  it('returns frozen owner lists shared between lookups', () => {
    const sut = new HashRing(hasher, FIVE, { replication: 3 });
    const owners = sut.ownersOf('greeting');
    expect(Object.isFrozen(owners)).toBe(true);
    expect(sut.ownersOf('greeting')).toBe(owners);
  });

  it('builds a sibling ring with the same options via withMembers', () => {
    const sut = new HashRing(hasher, FIVE, { virtualNodes: 16, replication: 2 });
    const next = sut.withMembers(['node-1', 'node-9']);
    expect(next.members).toEqual(['node-1', 'node-9']);
    expect(next.virtualNodes).toBe(16);
    expect(next.replication).toBe(2);
    expect(next.hasMembers(['node-1', 'node-9'])).toBe(true);
    expect(sut.hasMembers(['node-1', 'node-9'])).toBe(false);
  });

  it('repeats vnode hashes above 256 vnodes without changing owners (§3 trap)', () => {
    const wide = new HashRing(hasher, FIVE, { virtualNodes: 300, replication: 3 });
    const narrow = new HashRing(hasher, FIVE, { virtualNodes: 256, replication: 3 });
    expect(new Set(wide.dump()).size).toBe(5 * 256);
    for (const key of ['greeting', 'hello', 'a', 'b', 'c']) expect(wide.ownersOf(key)).toEqual(narrow.ownersOf(key));
  });

  it.each([
    [{ virtualNodes: 0 }, 'virtualNodes'],
    [{ virtualNodes: 1.5 }, 'virtualNodes'],
    [{ virtualNodes: 70_000 }, 'virtualNodes'],
    [{ replication: 0 }, 'replication'],
    [{ replication: Number.NaN }, 'replication'],
  ])('rejects %j naming the option %s', (options, option) => {
    expect(() => new HashRing(hasher, FIVE, options)).toThrow(expect.objectContaining({ code: MEMBERSHIP_ERROR_CODES.invalidOption, option }));
  });

  it('rejects an empty member ID', () => {
    expect(() => new HashRing(hasher, ['node-1', ''])).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'memberIds' }));
  });
});
