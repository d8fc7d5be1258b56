import { createHash } from 'node:crypto';
import { buildMerkleSnapshot } from './merkle-tree';

const sha = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
const entry = (key: string, version: number) => {
  const v = Buffer.alloc(8);
  v.writeBigUInt64BE(BigInt(version));
  return Buffer.concat([Buffer.from(key), v]);
};

describe(buildMerkleSnapshot.name, () => {
  it('has null root and leaves for no entries', () => {
    expect(buildMerkleSnapshot([], 4)).toEqual({ root: null, leaf_hashes: null, chunk_size: 4 });
  });

  it('hashes sorted chunks and promotes an odd last node unchanged', () => {
    const snap = buildMerkleSnapshot(
      [
        { key: 'c', version: 3 },
        { key: 'a', version: 1 },
        { key: 'b', version: 2 },
      ],
      2,
    );
    const leaf0 = sha(entry('a', 1), entry('b', 2));
    const leaf1 = sha(entry('c', 3));
    expect(snap.leaf_hashes).toEqual([leaf0.toString('base64'), leaf1.toString('base64')]);
    expect(snap.root).toBe(sha(leaf0, leaf1).toString('base64'));
    const three = buildMerkleSnapshot(['a', 'b', 'c'].map((key, i) => ({ key, version: i + 1 })), 1);
    const [l0, l1, l2] = ['a', 'b', 'c'].map((k, i) => sha(entry(k, i + 1)));
    expect(three.root).toBe(sha(sha(l0, l1), l2).toString('base64'));
  });

  it('changes the root when any version changes and not when input order changes', () => {
    const base = Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, version: i + 1 }));
    const a = buildMerkleSnapshot(base);
    expect(buildMerkleSnapshot([...base].reverse()).root).toBe(a.root);
    const bumped = base.map((e) => (e.key === 'k150' ? { ...e, version: 999 } : e));
    expect(buildMerkleSnapshot(bumped).root).not.toBe(a.root);
  });
});
