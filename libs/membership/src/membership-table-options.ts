import { InvalidMembershipOptionError } from './errors';
import type { MembershipChange } from './membership-change';

/** Identity of a member: node ID and dist address (`host:port`). */
export interface MemberIdentity {
  readonly id: string;
  readonly address: string;
}

/** Options of {@link MembershipTable} (dist-protocol.md §2). */
export interface MembershipTableOptions {
  /** The local node; it starts `alive`, incarnation 1 (§2). Required. */
  readonly self: MemberIdentity;
  /**
   * Seed peers, e.g. from {@link parseSeeds}; each starts alive, incarnation 1, lastSeen = now.
   * Entries with the local ID or address are skipped; a repeated ID keeps the last entry.
   * Default `[]`.
   */
  readonly seeds?: readonly MemberIdentity[];
  /** Clock in ms (epoch or monotonic, the table only compares its own readings). Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Receives errors thrown by change listeners, after every listener ran. Default: rethrow the
   * first one to the caller of the mutating method (the mutation itself is already committed).
   */
  readonly onListenerError?: (error: unknown, change: MembershipChange) => void;
}

/** {@link MembershipTableOptions} with every default filled in. */
export type ResolvedMembershipTableOptions = Required<MembershipTableOptions>;

/**
 * Fills in the table defaults (no seeds, `Date.now`, rethrowing listener errors) and rejects
 * nonsense.
 * @throws InvalidMembershipOptionError naming `self.id`, `self.address`, `seeds[i].id`,
 *   `seeds[i].address`, `now` or `onListenerError`.
 */
export function resolveMembershipTableOptions(o: MembershipTableOptions): ResolvedMembershipTableOptions {
  checkIdentity('self', o?.self);
  const seeds = o.seeds ?? [];
  if (!Array.isArray(seeds)) throw new InvalidMembershipOptionError('seeds', seeds, 'an array');
  seeds.forEach((s, i) => checkIdentity(`seeds[${i}]`, s));
  const now = o.now ?? Date.now;
  if (typeof now !== 'function') throw new InvalidMembershipOptionError('now', now, 'a function returning ms');
  const onListenerError = o.onListenerError ?? rethrow;
  if (typeof onListenerError !== 'function') {
    throw new InvalidMembershipOptionError('onListenerError', onListenerError, 'a function');
  }
  return { self: { id: o.self.id, address: o.self.address }, seeds, now, onListenerError };
}

function checkIdentity(name: string, m: MemberIdentity | undefined): void {
  if (m === null || typeof m !== 'object') throw new InvalidMembershipOptionError(name, m, 'an {id, address} object');
  if (typeof m.id !== 'string' || m.id === '') throw new InvalidMembershipOptionError(`${name}.id`, m.id, 'a non-empty string');
  if (typeof m.address !== 'string' || m.address === '') {
    throw new InvalidMembershipOptionError(`${name}.address`, m.address, 'a non-empty host:port string');
  }
}

function rethrow(error: unknown): never {
  throw error;
}
