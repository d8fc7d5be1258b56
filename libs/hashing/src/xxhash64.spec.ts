import { formatHash64, loadXxhash64, type Xxhash64 } from './xxhash64';

const utf8 = new TextEncoder();

/** Bytes of a vnode: utf8(nodeID) ‖ one byte (i mod 256) (dist-protocol.md §3). */
function vnodeBytes(nodeId: string, i: number): Uint8Array {
  const id = utf8.encode(nodeId);
  const out = new Uint8Array(id.length + 1);
  out.set(id);
  out[id.length] = i & 0xff;
  return out;
}

describe('loadXxhash64', () => {
  let sut: Xxhash64;
  beforeAll(async () => {
    sut = await loadXxhash64();
  });

  it.each([
    ['', 'ef46db3751d8e999'],
    ['greeting', 'e7c5ca42cd4bed7f'],
  ])('hashes the string %j to the §3 golden vector %s', (input, hex) => {
    expect(formatHash64(sut.hashString(input))).toBe(hex);
    expect(sut.hashString(input)).toBe(BigInt(`0x${hex}`));
  });

  it.each([
    ['node-1', 0, '8285c68822bec59a'],
    ['node-1', 1, '188db1e406c3e8b0'],
    ['node-1', 63, 'fb53ab7a1edda98a'],
  ])('hashes the vnode %s / i=%i to the §3 golden vector %s', (nodeId, i, hex) => {
    expect(formatHash64(sut.hashBytes(vnodeBytes(nodeId, i)))).toBe(hex);
  });

  it('wraps the vnode byte at 256, so vnode 256 repeats vnode 0 (the §3 trap)', () => {
    expect(sut.hashBytes(vnodeBytes('node-1', 256))).toBe(sut.hashBytes(vnodeBytes('node-1', 0)));
  });

  it('hashes a string exactly like its UTF-8 bytes', () => {
    for (const s of ['', 'a', 'user:42', 'ä€😀', 'x'.repeat(1000)]) {
      expect(sut.hashString(s)).toBe(sut.hashBytes(utf8.encode(s)));
    }
  });

  it('returns unsigned 64-bit values', () => {
    for (const s of ['a', 'b', 'greeting', 'node-1']) {
      const h = sut.hashString(s);
      expect(h >= 0n && h < 1n << 64n).toBe(true);
    }
  });

  it('shares one instance across loads', async () => {
    expect(await loadXxhash64()).toBe(sut);
  });
});

describe('formatHash64', () => {
  it.each([
    [0n, '0000000000000000'],
    [0x18e9cedb208d91n, '0018e9cedb208d91'],
    [(1n << 64n) - 1n, 'ffffffffffffffff'],
  ])('formats %s as 16 lowercase hex digits', (h, hex) => {
    expect(formatHash64(h)).toBe(hex);
  });
});
