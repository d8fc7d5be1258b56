import { InvalidMembershipOptionError } from './errors';

/** Options of {@link HashRing} (dist-protocol.md §3). */
export interface RingOptions {
  /**
   * Virtual nodes per member. Default 64 (binary and ring default). Each vnode hash is
   * XXH64(utf8(nodeID) ‖ one byte `i mod 256`), so above 256 the hashes repeat (upstream trap):
   * harmless for ownership but wasteful. Accepted range 1..65536.
   */
  readonly virtualNodes?: number;
  /**
   * Replication factor RF = desired `owners(k).length`. Default 1 (library default); the server
   * binary passes 3. Lookups return `min(RF, members)` owners.
   */
  readonly replication?: number;
}

/** {@link RingOptions} with every default filled in. */
export type ResolvedRingOptions = Required<RingOptions>;

/** Default virtual nodes per member (dist-protocol.md §3). */
export const DEFAULT_VIRTUAL_NODES = 64;
/** Default replication factor of the library (dist-protocol.md §1; the binary uses 3). */
export const DEFAULT_REPLICATION = 1;
/** Largest accepted `virtualNodes` (bounds the ring's memory; 256 already covers every distinct hash). */
export const MAX_VIRTUAL_NODES = 65_536;

/**
 * Fills in the ring defaults (virtualNodes 64, replication 1) and rejects nonsense.
 * @throws InvalidMembershipOptionError naming `virtualNodes` or `replication`.
 */
export function resolveRingOptions(o: RingOptions = {}): ResolvedRingOptions {
  const virtualNodes = o.virtualNodes ?? DEFAULT_VIRTUAL_NODES;
  if (!Number.isSafeInteger(virtualNodes) || virtualNodes < 1 || virtualNodes > MAX_VIRTUAL_NODES) {
    throw new InvalidMembershipOptionError('virtualNodes', virtualNodes, `an integer in 1..${MAX_VIRTUAL_NODES}`);
  }
  const replication = o.replication ?? DEFAULT_REPLICATION;
  if (!Number.isSafeInteger(replication) || replication < 1) {
    throw new InvalidMembershipOptionError('replication', replication, 'a positive integer');
  }
  return { virtualNodes, replication };
}
