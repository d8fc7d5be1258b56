import { InvalidMemberError, LocalMemberError } from './errors';
import { MemberState, parseMemberState, stateSeverity } from './member';
import type { GossipMember, Member, MemberSnapshot } from './member';
import { MembershipChangeKind, MergeOutcome } from './membership-change';
import type { MembershipChange } from './membership-change';
import { resolveMembershipTableOptions } from './membership-table-options';
import type { MembershipTableOptions, ResolvedMembershipTableOptions } from './membership-table-options';

/** An authoritative add-or-replace of a peer (dist-protocol.md §2, §14 "add/upsert"). */
export interface MemberUpsert {
  readonly id: string;
  readonly address: string;
  /** Default `alive`. */
  readonly state?: MemberState;
  /** Default 1. Non-negative safe integer. */
  readonly incarnation?: number;
}

/** Listener of {@link MembershipTable.onChange}. */
export type MembershipListener = (change: MembershipChange) => void;

/**
 * The local view of cluster membership (dist-protocol.md §2, §14, data model only; the heartbeat
 * and gossip loops live elsewhere and drive it through these methods).
 *
 * - Bootstrap: the local member `{id, address, alive, incarnation 1}` plus every seed as alive,
 *   incarnation 1, lastSeen = now. {@link version} starts at 0.
 * - Every state-changing mutation (add, remove, real state transition, address/incarnation
 *   change, self-refute) bumps {@link version} by 1 and notifies {@link onChange} listeners
 *   synchronously, after the change is committed. LastSeen-only refreshes notify nobody.
 * - The local member is always alive here: marking, upserting or removing it throws
 *   {@link LocalMemberError}, and remote suspect/dead claims about it are refuted in
 *   {@link merge}.
 *
 * Consumers rebuild their ring from {@link ringMembers} (non-dead IDs, sorted) on change.
 */
export class MembershipTable {
  readonly #options: ResolvedMembershipTableOptions;
  readonly #now: () => number;
  readonly #localId: string;
  readonly #members = new Map<string, Member>();
  readonly #listeners = new Set<MembershipListener>();
  #version = 0;

  /**
   * @throws InvalidMembershipOptionError naming the bad option (see
   *   {@link resolveMembershipTableOptions}).
   */
  constructor(options: MembershipTableOptions) {
    this.#options = resolveMembershipTableOptions(options);
    this.#now = this.#options.now;
    const { self, seeds } = this.#options;
    this.#localId = self.id;
    const now = this.#now();
    this.#members.set(self.id, record(self.id, self.address, MemberState.Alive, 1, now));
    for (const seed of seeds) {
      // Same skip rule as parseSeeds (§2), so a raw shared seed list is safe here too.
      if (seed.id === self.id || seed.address === self.address) continue;
      this.#members.set(seed.id, record(seed.id, seed.address, MemberState.Alive, 1, now));
    }
  }

  /** The table's clock reading (ms), the time base of every `lastSeenMs`. */
  now(): number {
    return this.#now();
  }

  /** ID of the local node. */
  get localId(): string {
    return this.#localId;
  }

  /** The local member's current record (always alive). */
  get local(): Member {
    return this.#members.get(this.#localId)!;
  }

  /** Membership version: 0 after bootstrap, +1 per state-changing mutation (`dist.membership.version`, §14). */
  get version(): number {
    return this.#version;
  }

  /** Number of members, local included, dead included. */
  get size(): number {
    return this.#members.size;
  }

  /** The record of `id`, or `undefined`. */
  get(id: string): Member | undefined {
    return this.#members.get(id);
  }

  /** True when `id` is in the table (any state). */
  has(id: string): boolean {
    return this.#members.has(id);
  }

  /** Every member (local and dead included), sorted by ID; a fresh array of frozen records. */
  list(): Member[] {
    return [...this.#members.values()].sort(byId);
  }

  /** Members in state `alive` (local included), sorted by ID. */
  alive(): Member[] {
    return this.list().filter((m) => m.state === MemberState.Alive);
  }

  /** IDs of the ring members: every non-dead member (alive and suspect own keys, §3), sorted. */
  ringMembers(): string[] {
    return this.list()
      .filter((m) => m.state !== MemberState.Dead)
      .map((m) => m.id);
  }

  /** Members in the `/cluster/members` shape `{ID, Address, State, Incarnation}` (management-api.md §6), sorted by ID. */
  snapshot(): MemberSnapshot[] {
    return this.list().map((m) => ({ ID: m.id, Address: m.address, State: m.state, Incarnation: m.incarnation }));
  }

  /**
   * The full member list (self and suspect/dead included) as a `POST /internal/gossip` body (§14),
   * each with its `apiUrl` when known (issue 17).
   */
  gossipPayload(): GossipMember[] {
    return this.list().map((m) =>
      m.apiUrl === undefined
        ? { id: m.id, address: m.address, state: m.state, incarnation: m.incarnation }
        : { id: m.id, address: m.address, state: m.state, incarnation: m.incarnation, apiUrl: m.apiUrl },
    );
  }

  /**
   * Sets the client API base URL the local member advertises (issue 17); it travels in every
   * gossip payload from then on. Not a membership change (the ring does not depend on it).
   */
  setLocalApiUrl(apiUrl: string): void {
    this.#members.set(this.#localId, Object.freeze({ ...this.local, apiUrl }));
  }

  /**
   * Registers `listener` for {@link MembershipChange}s; returns its unsubscribe function
   * (idempotent). Listeners run synchronously in registration order and may read the table.
   */
  onChange(listener: MembershipListener): () => void {
    const entry: MembershipListener = (c) => listener(c);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /**
   * Adds or replaces a peer authoritatively; lastSeen = now. Returns true when something changed
   * (new member, or a different address/state/incarnation).
   * @throws InvalidMemberError naming the bad field; LocalMemberError for the local ID.
   */
  upsert(update: MemberUpsert): boolean {
    const id = checkId(update?.id);
    const address = checkAddress(update.address);
    const state = update.state ?? MemberState.Alive;
    if (state !== MemberState.Alive && state !== MemberState.Suspect && state !== MemberState.Dead) {
      throw new InvalidMemberError('state', state, 'alive, suspect or dead');
    }
    const incarnation = checkIncarnation(update.incarnation ?? 1);
    if (id === this.#localId) throw new LocalMemberError(id, 'upsert');
    const previous = this.#members.get(id);
    const next = record(id, address, state, incarnation, this.#now(), previous?.apiUrl);
    if (previous === undefined) return this.#commit(MembershipChangeKind.Added, next);
    if (previous.address === address && previous.state === state && previous.incarnation === incarnation) {
      this.#members.set(id, next);
      return false;
    }
    return this.#commit(MembershipChangeKind.Updated, next, previous);
  }

  /**
   * Marks `id` alive (evidence of life, e.g. a successful probe): lastSeen = now; on a real
   * transition also incarnation+1 of the local view (§14 Mark). Returns true on a transition;
   * false when already alive, unknown, or the local node.
   */
  markAlive(id: string): boolean {
    return this.#mark(id, MemberState.Alive);
  }

  /**
   * Marks `id` suspect (§14 Mark): on a real transition incarnation+1, version+1, event; lastSeen
   * is kept (it dates the last evidence of life). Returns false when already suspect or unknown.
   * @throws LocalMemberError for the local node.
   */
  markSuspect(id: string): boolean {
    return this.#mark(id, MemberState.Suspect);
  }

  /**
   * Marks `id` dead (§14 Mark): off the ring, still listed until {@link remove}d. Same rules as
   * {@link markSuspect}.
   * @throws LocalMemberError for the local node.
   */
  markDead(id: string): boolean {
    return this.#mark(id, MemberState.Dead);
  }

  /**
   * Removes `id` (e.g. pruned after `deadAfter`, §14). Returns false when unknown.
   * @throws LocalMemberError for the local node.
   */
  remove(id: string): boolean {
    if (id === this.#localId) throw new LocalMemberError(id, 'remove');
    const previous = this.#members.get(id);
    if (previous === undefined) return false;
    this.#members.delete(id);
    return this.#commit(MembershipChangeKind.Removed, previous, previous);
  }

  /**
   * Applies one gossip entry (dist-protocol.md §14 receiver; SWIM precedence):
   * - the local node: a non-alive claim with incarnation ≥ own is refuted — own incarnation
   *   becomes claim + 1, state stays alive, version+1, `refuted` event; anything else is ignored;
   * - unknown member: added with the entry's state/address/incarnation, lastSeen = now;
   * - known member: replaced (lastSeen = now for an alive claim, kept for suspect/dead) when the entry's incarnation is higher, or equal
   *   with a worse state (dead > suspect > alive); otherwise ignored.
   * Unknown state strings count as `alive`. The precedence is a join on (incarnation, severity),
   * so the resulting state/incarnation do not depend on the order of the updates.
   * @throws InvalidMemberError naming the bad field (id, address, incarnation).
   */
  merge(entry: GossipMember): MergeOutcome {
    const id = checkId(entry?.id);
    const address = checkAddress(entry.address);
    const incarnation = checkIncarnation(entry.incarnation);
    const state = parseMemberState(entry.state);

    if (id === this.#localId) {
      const local = this.local;
      if (state === MemberState.Alive || incarnation < local.incarnation) return MergeOutcome.Ignored;
      const next = record(id, local.address, MemberState.Alive, incarnation + 1, this.#now(), local.apiUrl);
      this.#commit(MembershipChangeKind.Refuted, next, local);
      return MergeOutcome.Refuted;
    }

    const previous = this.#members.get(id);
    // A suspect/dead claim about a known member is not evidence that it lives: keep its lastSeen,
    // or every re-gossiped claim would restart the failure detector's timeouts.
    const lastSeenMs = previous !== undefined && state !== MemberState.Alive ? previous.lastSeenMs : this.#now();
    const apiUrl = typeof entry.apiUrl === 'string' && entry.apiUrl !== '' ? entry.apiUrl : undefined;
    const next = record(id, address, state, incarnation, lastSeenMs, apiUrl ?? previous?.apiUrl);
    if (previous === undefined) {
      this.#commit(MembershipChangeKind.Added, next);
      return MergeOutcome.Added;
    }
    const newer =
      incarnation > previous.incarnation ||
      (incarnation === previous.incarnation && stateSeverity(state) > stateSeverity(previous.state));
    if (!newer) {
      // The API URL is not ordered by the state precedence: a claim at least as recent as the
      // record may carry it (the member's first gossip after it learnt its bound port, issue 17),
      // and any claim fills in a record that has none: this table bumps a peer's incarnation on
      // each local suspect/alive mark, so after one flap the member's own gossip (its lower
      // incarnation) would never bring the URL that its first gossip lacked.
      if (apiUrl !== undefined && apiUrl !== previous.apiUrl && (previous.apiUrl === undefined || incarnation >= previous.incarnation)) {
        this.#members.set(id, Object.freeze({ ...previous, apiUrl }));
      }
      return MergeOutcome.Ignored;
    }
    this.#commit(MembershipChangeKind.Updated, next, previous);
    return MergeOutcome.Updated;
  }

  /** {@link merge} for every entry of a gossip body, in order; returns each outcome. */
  mergeAll(entries: Iterable<GossipMember>): MergeOutcome[] {
    const out: MergeOutcome[] = [];
    for (const e of entries) out.push(this.merge(e));
    return out;
  }

  #mark(id: string, state: MemberState): boolean {
    if (id === this.#localId) {
      if (state === MemberState.Alive) return false;
      throw new LocalMemberError(id, `mark ${state}`);
    }
    const previous = this.#members.get(id);
    if (previous === undefined) return false;
    const alive = state === MemberState.Alive;
    if (previous.state === state) {
      if (alive) this.#members.set(id, { ...previous, lastSeenMs: this.#now() });
      return false;
    }
    const lastSeenMs = alive ? this.#now() : previous.lastSeenMs;
    const next = record(id, previous.address, state, previous.incarnation + 1, lastSeenMs, previous.apiUrl);
    return this.#commit(MembershipChangeKind.Updated, next, previous);
  }

  #commit(kind: MembershipChangeKind, member: Member, previous?: Member): true {
    if (kind !== MembershipChangeKind.Removed) this.#members.set(member.id, member);
    this.#version++;
    const change: MembershipChange =
      previous === undefined ? { kind, version: this.#version, member } : { kind, version: this.#version, member, previous };
    const errors: unknown[] = [];
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (err) {
        errors.push(err);
      }
    }
    for (const err of errors) this.#options.onListenerError(err, change);
    return true;
  }
}

function record(id: string, address: string, state: MemberState, incarnation: number, lastSeenMs: number, apiUrl?: string): Member {
  return Object.freeze(apiUrl === undefined ? { id, address, state, incarnation, lastSeenMs } : { id, address, state, incarnation, lastSeenMs, apiUrl });
}

function byId(a: Member, b: Member): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Throws `InvalidMemberError` naming the bad field when `entry` is not a usable gossip entry
 * (the same checks {@link MembershipTable.merge} applies), so a body can be validated whole
 * before any entry is merged.
 */
export function validateGossipMember(entry: unknown): asserts entry is GossipMember {
  if (entry === null || typeof entry !== 'object') throw new InvalidMemberError('entry', entry, 'an object');
  const e = entry as Record<string, unknown>;
  checkId(e.id);
  checkAddress(e.address);
  checkIncarnation(e.incarnation);
  if (e.state !== undefined && typeof e.state !== 'string') throw new InvalidMemberError('state', e.state, 'a string');
}

function checkId(id: unknown): string {
  if (typeof id !== 'string' || id === '') throw new InvalidMemberError('id', id, 'a non-empty string');
  return id;
}

function checkAddress(address: unknown): string {
  if (typeof address !== 'string' || address === '') throw new InvalidMemberError('address', address, 'a non-empty host:port string');
  return address;
}

function checkIncarnation(incarnation: unknown): number {
  // Strictly below MAX_SAFE_INTEGER so that the +1 of a mark or refutation stays exact.
  if (typeof incarnation !== 'number' || !Number.isInteger(incarnation) || incarnation < 0 || incarnation >= Number.MAX_SAFE_INTEGER) {
    throw new InvalidMemberError('incarnation', incarnation, 'an integer in 0..2^53-2');
  }
  return incarnation;
}
