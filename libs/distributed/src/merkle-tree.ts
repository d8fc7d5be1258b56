import { createHash } from 'node:crypto';

/** One entry of the tree: a key and the version of its item or tombstone. */
export interface MerkleEntry {
  readonly key: string;
  readonly version: number;
}

/** The `/internal/merkle` answer (dist-protocol.md §11, §17.1): byte arrays as base64. */
export interface MerkleSnapshot {
  root: string | null;
  leaf_hashes: string[] | null;
  chunk_size: number;
}

/**
 * Builds the Merkle snapshot: entries sorted by key (byte order), chunked `chunkSize` per leaf,
 * leaf = SHA-256 over `utf8(key) ‖ version (8-byte big-endian)` per entry, root by hashing
 * adjacent pairs (an odd last node is promoted unchanged). No entries → null root and leaves.
 */
export function buildMerkleSnapshot(entries: readonly MerkleEntry[], chunkSize = 128): MerkleSnapshot {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new TypeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  if (entries.length === 0) return { root: null, leaf_hashes: null, chunk_size: chunkSize };
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  const leaves: Buffer[] = [];
  const version = Buffer.alloc(8);
  for (let i = 0; i < sorted.length; i += chunkSize) {
    const h = createHash('sha256');
    for (const e of sorted.slice(i, i + chunkSize)) {
      h.update(e.key, 'utf8');
      version.writeBigUInt64BE(BigInt(e.version));
      h.update(version);
    }
    leaves.push(h.digest());
  }
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? createHash('sha256').update(level[i]).update(level[i + 1]).digest() : level[i]);
    }
    level = next;
  }
  return { root: level[0].toString('base64'), leaf_hashes: leaves.map((l) => l.toString('base64')), chunk_size: chunkSize };
}
