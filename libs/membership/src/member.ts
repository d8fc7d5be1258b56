/**
 * Member states (dist-protocol.md §14, management-api.md §6). Alive and suspect members own keys;
 * dead ones are off the ring until pruned or refuted.
 */
export const MemberState = {
  Alive: 'alive',
  Suspect: 'suspect',
  Dead: 'dead',
} as const;

/** Union of the values of {@link MemberState}: `alive` | `suspect` | `dead`. */
export type MemberState = (typeof MemberState)[keyof typeof MemberState];

const SEVERITY: Readonly<Record<MemberState, number>> = { alive: 0, suspect: 1, dead: 2 };

/**
 * Rank used by the merge rule at equal incarnation: dead (2) > suspect (1) > alive (0), the
 * worse claim wins (SWIM).
 */
export function stateSeverity(state: MemberState): number {
  return SEVERITY[state];
}

/** Parses a wire state string; anything unknown is `alive`, as upstream does (§14). */
export function parseMemberState(state: unknown): MemberState {
  return state === MemberState.Suspect || state === MemberState.Dead ? state : MemberState.Alive;
}

/** One member as the local table sees it (dist-protocol.md §2, §14). Records are immutable. */
export interface Member {
  /** Node ID (§1). */
  readonly id: string;
  /** `host:port` of the member's dist listener. */
  readonly address: string;
  readonly state: MemberState;
  /** Incarnation number, starts at 1; non-negative safe integer (uint64 upstream). */
  readonly incarnation: number;
  /** Clock value (ms, from the table's `now`) of the last evidence that the member lives. */
  readonly lastSeenMs: number;
  /**
   * Base URL of the member's client API (`http(s)://host:port`), as it advertises it
   * (`HYPERCACHE_API_ADVERTISE_ADDR`, issue 17); undefined when unknown (an upstream peer, or not
   * heard of yet). Not part of the membership version: it never changes the ring.
   */
  readonly apiUrl?: string;
}

/**
 * A member entry as carried by `POST /internal/gossip` (dist-protocol.md §14):
 * `{id, address, state, incarnation}`; `state` is a free string (unknown → alive). TS nodes add
 * the optional `apiUrl` (the member's client API base URL, issue 17); upstream peers ignore it,
 * and a malformed one is dropped, never the entry.
 */
export interface GossipMember {
  readonly id: string;
  readonly address: string;
  readonly state: string;
  readonly incarnation: number;
  readonly apiUrl?: string;
}

/** A member in the exact `/cluster/members` shape, PascalCase keys (management-api.md §6). */
export interface MemberSnapshot {
  readonly ID: string;
  readonly Address: string;
  readonly State: MemberState;
  readonly Incarnation: number;
}
