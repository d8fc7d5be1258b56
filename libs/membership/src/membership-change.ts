import type { Member } from './member';

/** Kinds of {@link MembershipChange} (dist-protocol.md §14 `members` events). */
export const MembershipChangeKind = {
  /** A member joined the table (upsert, gossip). */
  Added: 'added',
  /** A member's address, state or incarnation changed. */
  Updated: 'updated',
  /** A member left the table (pruned or removed). */
  Removed: 'removed',
  /** The local node refuted a suspect/dead claim: its incarnation rose, it stays alive. */
  Refuted: 'refuted',
} as const;

/** Union of the values of {@link MembershipChangeKind}. */
export type MembershipChangeKind = (typeof MembershipChangeKind)[keyof typeof MembershipChangeKind];

/**
 * What {@link MembershipTable.onChange} listeners receive after a state-changing mutation has been
 * committed. Same-state refreshes (LastSeen only) produce none.
 */
export interface MembershipChange {
  readonly kind: MembershipChangeKind;
  /** Table version after the change (monotonic, +1 per change). */
  readonly version: number;
  /** The member after the change; for `removed`, the record that was removed. */
  readonly member: Member;
  /** The member before the change; absent for `added`. */
  readonly previous?: Member;
}

/** Outcomes of {@link MembershipTable.merge} (dist-protocol.md §14 receiver rules). */
export const MergeOutcome = {
  /** Unknown member, now in the table. */
  Added: 'added',
  /** Known member replaced by a newer claim (higher incarnation, or worse state at equal). */
  Updated: 'updated',
  /** Stale or equal claim; nothing changed. */
  Ignored: 'ignored',
  /**
   * The entry claimed the local node suspect/dead at an incarnation ≥ its own: the table raised
   * the local incarnation above the claim and kept it alive. The caller logs
   * `self-refuted suspect/dead claim from peer` and may gossip early.
   */
  Refuted: 'refuted',
} as const;

/** Union of the values of {@link MergeOutcome}. */
export type MergeOutcome = (typeof MergeOutcome)[keyof typeof MergeOutcome];
