import { InvalidMembershipOptionError } from './errors';
import { resolveRingOptions, type ResolvedRingOptions, type RingOptions } from './hash-ring-options';
import { formatHash64, type Xxhash64 } from '@hypercache/hashing';

/** One virtual node of a {@link HashRing}: its 64-bit position and the member that owns it. */
export interface RingVnode {
  /** XXH64(utf8(nodeId) ‖ byte i), unsigned 64-bit. */
  readonly hash: bigint;
  readonly nodeId: string;
}

const EMPTY: readonly string[] = Object.freeze([]);
const utf8 = new TextEncoder();

// Scratch used to split a lookup hash into 32-bit halves without allocating (single-threaded).
const scratch64 = new BigUint64Array(1);
const scratch32 = new Uint32Array(scratch64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

/**
 * Immutable consistent-hash ring (dist-protocol.md §3): `virtualNodes` vnodes per member at
 * XXH64(utf8(nodeID) ‖ byte `i mod 256`), sorted ascending (ties by node ID, then `i`).
 * Lookup of key k starts at the first vnode with hash ≥ XXH64(k), wraps, and collects
 * `min(replication, members)` distinct node IDs clockwise. Membership changes build a new ring
 * ({@link withMembers}); readers swap the reference.
 *
 * Build is O(M log M + M·RF) for M = members·virtualNodes: the owner list of every vnode start
 * index is precomputed once (frozen, shared between neighbouring vnodes with the same list), so
 * {@link ownersOf} is one hash, a bucket-index lookup on the top hash bits plus a short scan
 * over split 32-bit halves, and an array read, with no allocation besides the hash itself.
 */
export class HashRing {
  readonly #hasher: Xxhash64;
  readonly #options: ResolvedRingOptions;
  readonly #members: readonly string[];
  readonly #hashes: BigUint64Array;
  readonly #hi: Uint32Array;
  readonly #lo: Uint32Array;
  readonly #nodeOf: readonly string[];
  readonly #bucketShift: number;
  readonly #bucketStart: Uint32Array;
  readonly #ownersAt: ReadonlyArray<readonly string[]>;

  /**
   * @param hasher XXH64 from {@link loadXxhash64}.
   * @param memberIds node IDs on the ring (duplicates collapse; callers pass non-dead members, §3).
   * @param options virtualNodes (default 64) and replication (default 1).
   * @throws InvalidMembershipOptionError on bad options or an empty/non-string member ID.
   */
  constructor(hasher: Xxhash64, memberIds: Iterable<string>, options: RingOptions = {}) {
    this.#hasher = hasher;
    this.#options = resolveRingOptions(options);
    const members = [...new Set(memberIds)];
    for (const id of members) {
      if (typeof id !== 'string' || id.length === 0) {
        throw new InvalidMembershipOptionError('memberIds', id, 'non-empty strings');
      }
    }
    members.sort(compareStrings);
    this.#members = Object.freeze(members);

    const v = this.#options.virtualNodes;
    const count = members.length * v;
    const unsorted = new BigUint64Array(count);
    const memberOf = new Uint32Array(count);
    for (let m = 0; m < members.length; m++) {
      const idBytes = utf8.encode(members[m]);
      const buf = new Uint8Array(idBytes.length + 1);
      buf.set(idBytes);
      for (let i = 0; i < v; i++) {
        buf[idBytes.length] = i & 0xff;
        unsorted[m * v + i] = hasher.hashBytes(buf);
        memberOf[m * v + i] = m;
      }
    }
    // Sorting indices keeps ties deterministic: members are sorted and i ascends within a member.
    const order = Array.from({ length: count }, (_, j) => j);
    order.sort((a, b) => {
      const ha = unsorted[a];
      const hb = unsorted[b];
      return ha < hb ? -1 : ha > hb ? 1 : a - b;
    });

    this.#hashes = new BigUint64Array(count);
    this.#hi = new Uint32Array(count);
    this.#lo = new Uint32Array(count);
    const nodeOf = new Array<string>(count);
    for (let j = 0; j < count; j++) {
      const h = unsorted[order[j]];
      this.#hashes[j] = h;
      scratch64[0] = h;
      this.#hi[j] = scratch32[HI];
      this.#lo[j] = scratch32[LO];
      nodeOf[j] = members[memberOf[order[j]]];
    }
    this.#nodeOf = Object.freeze(nodeOf);
    // Bucket index over the top bits of the hash: bucketStart[b] = first vnode whose top bits
    // are ≥ b (plus a sentinel = count). About 2 buckets per vnode, at most 2^16 buckets.
    const bits = Math.min(16, Math.max(1, Math.ceil(Math.log2(count + 1)) + 1));
    this.#bucketShift = 32 - bits;
    this.#bucketStart = new Uint32Array((1 << bits) + 1);
    for (let b = 0, j = 0; b <= 1 << bits; b++) {
      while (j < count && this.#hi[j] >>> this.#bucketShift < b) j++;
      this.#bucketStart[b] = j;
    }
    this.#ownersAt = Object.freeze(ownersByVnode(nodeOf, this.#options.replication));
  }

  /** Node IDs on the ring, sorted, distinct. */
  get members(): readonly string[] {
    return this.#members;
  }

  /** Virtual nodes per member (default 64). */
  get virtualNodes(): number {
    return this.#options.virtualNodes;
  }

  /** Replication factor RF (default 1). */
  get replication(): number {
    return this.#options.replication;
  }

  /** Number of vnodes on the ring (members × virtualNodes). */
  get size(): number {
    return this.#nodeOf.length;
  }

  /**
   * Owners of `key`, primary first (dist-protocol.md §3 Lookup): `min(RF, members)` distinct node
   * IDs clockwise from the first vnode with hash ≥ XXH64(utf8(key)). Empty ring → `[]`.
   * The returned array is frozen and shared: do not mutate it.
   */
  ownersOf(key: string): readonly string[] {
    if (this.#nodeOf.length === 0) return EMPTY;
    return this.ownersOfHash(this.#hasher.hashString(key));
  }

  /** Like {@link ownersOf} for a precomputed XXH64 `hash` (unsigned 64-bit). */
  ownersOfHash(hash: bigint): readonly string[] {
    const count = this.#nodeOf.length;
    if (count === 0) return EMPTY;
    scratch64[0] = hash;
    const hi = scratch32[HI];
    const lo = scratch32[LO];
    const his = this.#hi;
    const los = this.#lo;
    // The lower bound lies between the starts of the key's bucket and of the next one; buckets
    // hold ~0.5 vnodes, so this is a short scan instead of a branchy binary search.
    const bucket = hi >>> this.#bucketShift;
    let a = this.#bucketStart[bucket];
    const end = this.#bucketStart[bucket + 1];
    while (a < end) {
      const ah = his[a];
      if (ah > hi || (ah === hi && los[a] >= lo)) break;
      a++;
    }
    return this.#ownersAt[a === count ? 0 : a];
  }

  /** Every vnode, ascending by hash (a fresh array). */
  vnodes(): RingVnode[] {
    const out = new Array<RingVnode>(this.#nodeOf.length);
    for (let j = 0; j < out.length; j++) out[j] = { hash: this.#hashes[j], nodeId: this.#nodeOf[j] };
    return out;
  }

  /**
   * Vnodes as `/cluster/ring` prints them (management-api.md §2, dist-protocol.md §3):
   * `<16 lowercase hex>:<nodeID>`, ascending by hash.
   */
  dump(): string[] {
    const out = new Array<string>(this.#nodeOf.length);
    for (let j = 0; j < out.length; j++) out[j] = `${formatHash64(this.#hashes[j])}:${this.#nodeOf[j]}`;
    return out;
  }

  /** A new ring with the same hasher and options over `memberIds`. */
  withMembers(memberIds: Iterable<string>): HashRing {
    return new HashRing(this.#hasher, memberIds, this.#options);
  }

  /** True when this ring's members equal `memberIds` (sorted, distinct, as {@link members}). */
  hasMembers(memberIds: readonly string[]): boolean {
    const own = this.#members;
    if (own.length !== memberIds.length) return false;
    for (let i = 0; i < own.length; i++) if (own[i] !== memberIds[i]) return false;
    return true;
  }
}

/**
 * The pure owner table of a ring (dist-protocol.md §3), shared by {@link HashRing} and the client
 * SDK (`@hypercache/client` computes owners from `GET /v1/topology` with it): for the vnodes
 * `nodeOf` in ascending hash order, entry j holds the first `min(replication, distinct nodes)`
 * distinct node IDs clockwise from vnode j, primary first (frozen arrays, shared between
 * neighbours with the same list).
 *
 * Walks the doubled sequence right to left: owners(j) = node(j) followed by owners(j+1) without
 * node(j), truncated to k. One lap primes the list (a full lap contains every member), the second
 * lap records. O(M·k).
 */
export function ownersByVnode(nodeOf: readonly string[], replication: number): Array<readonly string[]> {
  const count = nodeOf.length;
  const k = Math.min(replication, new Set(nodeOf).size);
  const out = new Array<readonly string[]>(count);
  let cur: readonly string[] = EMPTY;
  for (let j = 2 * count - 1; j >= 0; j--) {
    const node = nodeOf[j % count];
    if (cur[0] !== node) {
      const next = [node];
      for (let t = 0; t < cur.length && next.length < k; t++) if (cur[t] !== node) next.push(cur[t]);
      cur = Object.freeze(next);
    }
    if (j < count) out[j] = cur;
  }
  return out;
}

/**
 * Index of the vnode that starts the owner walk of `hash` in the ascending `hashes`: the first
 * vnode with hash ≥ `hash`, wrapping to 0 past the last one (dist-protocol.md §3 Lookup).
 * Binary search; `hashes` must be non-empty.
 */
export function ringStartIndex(hashes: ArrayLike<bigint>, hash: bigint): number {
  let lo = 0;
  let hi = hashes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (hashes[mid] < hash) lo = mid + 1;
    else hi = mid;
  }
  return lo === hashes.length ? 0 : lo;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
