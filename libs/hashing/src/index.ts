// Public API of @hypercache/hashing: the project's non-cryptographic hashes, in one home.
// XXH64 places keys and nodes on the ring (membership) and derives node IDs; FNV-1a 32 routes
// eviction shards and buckets Merkle anti-entropy and the peer key cursor.
export { fnv1a32 } from './fnv1a32';
export { loadXxhash64, formatHash64, type Xxhash64 } from './xxhash64';
