/** FNV-1a 32-bit offset basis. */
const FNV_OFFSET_BASIS = 0x811c9dc5;
/** FNV-1a 32-bit prime. */
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a 32-bit hash of a string's UTF-16 code units, as an unsigned 32-bit integer. Equals the
 * byte-wise FNV-1a of the UTF-8 encoding for ASCII keys. Default shard router of
 * `ShardedEviction` (eviction.md §8), also the Merkle anti-entropy bucket and peer key cursor hash.
 */
export function fnv1a32(key: string): number {
  let h = FNV_OFFSET_BASIS;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}
