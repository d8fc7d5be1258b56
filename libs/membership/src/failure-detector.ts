import { BackgroundLoop, SYSTEM_TIMERS, type Timers } from '@hypercache/loops';
import { resolveFailureDetectorOptions, type FailureDetectorOptions, type ResolvedFailureDetectorOptions } from './failure-detector-options';
import { MemberState, parseMemberState } from './member';
import type { GossipMember, Member } from './member';
import { MergeOutcome } from './membership-change';
import type { MemberIdentity } from './membership-table-options';
import { validateGossipMember, type MembershipTable } from './membership-table';

/**
 * The peer calls SWIM needs (dist-protocol.md §14, §13, §17.1). The server adapts the HTTP peer
 * transport; unit tests script a fake. Every method rejects when the peer could not be reached.
 */
export interface SwimTransport {
  /** Direct probe: `GET /health` of `member` within `timeoutMs`. */
  probe(member: MemberIdentity, timeoutMs: number): Promise<void>;
  /** Indirect probe: `GET /internal/probe?target=<targetId>` on `relay` within `timeoutMs`. */
  probeVia(relay: MemberIdentity, targetId: string, timeoutMs: number): Promise<void>;
  /**
   * `POST /internal/gossip` with the full member list; resolves with the receiver's own list when
   * it answers one (TS push-pull extension), else with `[]`.
   */
  gossip(member: MemberIdentity, members: GossipMember[]): Promise<GossipMember[]>;
}

/** Counters the detector increments (a subset of `DistMetrics`, same PascalCase names, §16). */
export interface FailureDetectorMetrics {
  HeartbeatSuccess: number;
  HeartbeatFailure: number;
  IndirectProbeSuccess: number;
  IndirectProbeFailure: number;
  IndirectProbeRefuted: number;
  NodesSuspect: number;
  NodesDead: number;
  NodesRemoved: number;
}

/** Timer functions; inject fakes for deterministic tests (the loop helper's {@link Timers}). */
export type DetectorTimers = Timers;

/** Collaborators of {@link FailureDetector}. */
export interface FailureDetectorDeps {
  table: MembershipTable;
  transport: SwimTransport;
  metrics: FailureDetectorMetrics;
  /**
   * Seeds of this node (`HYPERCACHE_SEEDS`). A seed missing from the table (pruned while it was
   * unreachable, or while this node was cut off) is gossiped to on every gossip tick, so a healed
   * partition or a restarted node always finds its way back (§14 "Rejoin").
   */
  seeds?: readonly MemberIdentity[];
  /** Uniform random in [0, 1). Default `Math.random`. */
  random?: () => number;
  timers?: DetectorTimers;
  /** Structured log sink (`component=membership`); default silent. */
  log?: (level: 'info' | 'warn' | 'debug', fields: Record<string, unknown>, msg: string) => void;
}

/**
 * SWIM-style failure detection and gossip over a {@link MembershipTable} (dist-protocol.md §14):
 *
 * - heartbeat tick (every H): for each peer, prune after `removeAfterMs` without contact, mark
 *   dead after `deadAfterMs`, suspect after `suspectAfterMs`; probe it directly (`H/2`), and on
 *   failure through up to k random alive relays; a failure nobody refutes marks an alive peer
 *   suspect at once. Peers are probed concurrently, so one tick takes at most one probe timeout
 *   plus k relay timeouts whatever the cluster size.
 * - gossip tick: push the full member list to one random non-dead peer and merge its answer
 *   (push-pull), plus to one seed missing from the table.
 * - receiving gossip ({@link handleGossip}): SWIM merge with self-refutation; a refutation is
 *   pushed to a random peer at once so it spreads without waiting for the next tick.
 *
 * The table's change events rebuild the ring (RingTopology.follow).
 */
export class FailureDetector {
  readonly #o: ResolvedFailureDetectorOptions;
  readonly #d: FailureDetectorDeps;
  readonly #table: MembershipTable;
  readonly #random: () => number;
  readonly #timers: DetectorTimers;
  readonly #loops: BackgroundLoop[] = [];
  /** When each peer last answered this node's own direct probe (table clock, ms). */
  readonly #answeredAt = new Map<string, number>();
  /** Incarnation each member had when this node pruned it (see {@link #mergeAll}). */
  readonly #pruned = new Map<string, number>();
  /** Pruned members being probed after a gossiped alive claim ({@link #verifyPruned}). */
  readonly #verifying = new Set<string>();
  #running = false;

  constructor(deps: FailureDetectorDeps, options: FailureDetectorOptions) {
    this.#o = resolveFailureDetectorOptions(options);
    this.#d = deps;
    this.#table = deps.table;
    this.#random = deps.random ?? Math.random;
    this.#timers = deps.timers ?? SYSTEM_TIMERS;
  }

  /** Resolved options. */
  get options(): ResolvedFailureDetectorOptions {
    return this.#o;
  }

  /** True between {@link start} and {@link stop}. */
  get isRunning(): boolean {
    return this.#running;
  }

  /** Starts the heartbeat and gossip loops (each only when its interval > 0). Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    if (this.#o.heartbeatIntervalMs > 0) this.#loop('heartbeat', this.#o.heartbeatIntervalMs, () => this.heartbeatTick());
    if (this.#o.gossipIntervalMs > 0) this.#loop('gossip', this.#o.gossipIntervalMs, () => this.gossipTick());
  }

  /** Stops both loops; an in-flight tick finishes but schedules nothing. Idempotent. */
  stop(): void {
    this.#running = false;
    for (const loop of this.#loops.splice(0)) loop.stop();
  }

  #loop(name: string, intervalMs: number, tick: () => Promise<void>): void {
    const loop = new BackgroundLoop({
      name,
      delayMs: intervalMs,
      tick,
      timers: this.#timers,
      onError: (err) => this.#log('warn', { err }, 'membership tick failed'),
    });
    this.#loops.push(loop);
    loop.start();
  }

  /** One heartbeat round over every peer (or a random sample). Tests call it directly. */
  async heartbeatTick(): Promise<void> {
    let peers = this.#table.list().filter((m) => m.id !== this.#table.localId);
    if (this.#o.heartbeatSample > 0 && peers.length > this.#o.heartbeatSample) {
      peers = this.#shuffle(peers).slice(0, this.#o.heartbeatSample);
    }
    await Promise.all(peers.map((m) => this.#check(m.id)));
  }

  async #check(id: string): Promise<void> {
    const m = this.#table.get(id);
    if (m === undefined) return;
    const o = this.#o;
    const elapsed = this.#now() - m.lastSeenMs;
    if (o.removeAfterMs > 0 && elapsed > o.removeAfterMs) {
      this.#pruned.set(id, m.incarnation);
      this.#table.remove(id);
      this.#d.metrics.NodesRemoved++;
      this.#log('info', { peer: id, elapsed_ms: elapsed }, 'peer pruned (dead)');
      return;
    }
    if (o.deadAfterMs > 0 && elapsed > o.deadAfterMs && m.state !== MemberState.Dead) {
      if (this.#table.markDead(id)) {
        this.#d.metrics.NodesDead++;
        this.#log('info', { peer: id, elapsed_ms: elapsed }, 'peer marked dead');
      }
    } else if (o.suspectAfterMs > 0 && elapsed > o.suspectAfterMs && m.state === MemberState.Alive) {
      this.#suspect(id, 'no contact');
    }
    if (await this.#probe(m)) {
      this.#answeredAt.set(id, this.#now());
      this.#d.metrics.HeartbeatSuccess++;
      this.#alive(id);
      return;
    }
    this.#d.metrics.HeartbeatFailure++;
    if (await this.#probeIndirectly(id)) {
      this.#alive(id);
      return;
    }
    if (this.#table.get(id)?.state === MemberState.Alive) this.#suspect(id, 'probe failed');
  }

  async #probe(m: MemberIdentity): Promise<boolean> {
    try {
      await this.#d.transport.probe(m, this.#o.probeTimeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  async #probeIndirectly(targetId: string): Promise<boolean> {
    if (this.#o.indirectProbeK === 0) return false;
    // Relays this node heard from most recently first (ties in random order): during a partition
    // those are on its own side, the ones that can vouch for a peer there (issue 21).
    const relays = this.#shuffle(this.#table.alive().filter((m) => m.id !== this.#table.localId && m.id !== targetId))
      .sort((a, b) => b.lastSeenMs - a.lastSeenMs)
      .slice(0, this.#o.indirectProbeK);
    for (const relay of relays) {
      try {
        await this.#d.transport.probeVia(relay, targetId, this.#o.indirectProbeTimeoutMs);
        this.#d.metrics.IndirectProbeSuccess++;
        this.#d.metrics.IndirectProbeRefuted++;
        return true;
      } catch {
        this.#d.metrics.IndirectProbeFailure++;
      }
    }
    return false;
  }

  #alive(id: string): void {
    const before = this.#table.get(id)?.state;
    if (this.#table.markAlive(id)) this.#log('info', { peer: id, was: before }, 'peer alive');
  }

  #suspect(id: string, reason: string): void {
    if (this.#table.markSuspect(id)) {
      this.#d.metrics.NodesSuspect++;
      this.#log('info', { peer: id, reason }, 'peer suspect');
    }
  }

  /**
   * One gossip round: the full member list to one random non-dead peer (its answer merged), and
   * to one random seed that is not in the table any more. Tests call it directly.
   */
  async gossipTick(): Promise<void> {
    const targets: MemberIdentity[] = [];
    const peers = this.#table.list().filter((m) => m.id !== this.#table.localId && m.state !== MemberState.Dead);
    if (peers.length > 0) targets.push(this.#pick(peers));
    const missing = (this.#d.seeds ?? []).filter((s) => !this.#table.has(s.id) && s.id !== this.#table.localId);
    if (missing.length > 0) targets.push(this.#pick(missing));
    await Promise.all(targets.map((t) => this.gossipTo(t)));
  }

  /** Pushes the member list to `peer` and merges its answer; false when the peer was unreachable. */
  async gossipTo(peer: MemberIdentity): Promise<boolean> {
    let answer: GossipMember[];
    try {
      answer = await this.#d.transport.gossip(peer, this.#table.gossipPayload());
    } catch {
      return false;
    }
    const valid = answer.filter((e) => {
      try {
        validateGossipMember(e);
        return true;
      } catch {
        return false;
      }
    });
    this.#mergeAll(valid, peer.id);
    return true;
  }

  /**
   * `POST /internal/gossip` receiver: merges every entry (§14 rules, see
   * {@link MembershipTable.merge}) and returns the local member list as the answer (push-pull).
   * Invalid entries throw `InvalidMemberError` (→ 400) before anything is merged.
   */
  handleGossip(entries: readonly unknown[], fromAddress?: string): GossipMember[] {
    entries.forEach((e) => validateGossipMember(e));
    this.#mergeAll(entries as GossipMember[], fromAddress);
    return this.#table.gossipPayload();
  }

  #mergeAll(entries: readonly GossipMember[], from: string | undefined): void {
    let refuted = false;
    for (const e of entries) {
      // A dead claim about a member this node already pruned (or never knew) is dropped: adding
      // it back would restart its timeouts and make pruned members flap between peers (§14).
      const state = parseMemberState(e.state);
      if (state === MemberState.Dead && !this.#table.has(e.id)) continue;
      // A suspect/dead claim about a member that answered this node's own probe within the last
      // two heartbeats is hearsay against direct evidence: ignored. After a partition heals, the
      // side that was cut off gossips its verdicts on the other side's members with incarnations
      // its own marks bumped; taken, they marked healthy members dead across the majority for a
      // gossip round or more (issue 21, docs/decisions.md F12). If the member really fails, this
      // node's own next probe finds out.
      if (state !== MemberState.Alive && e.id !== this.#table.localId && this.#answeredRecently(e.id)) continue;
      // A member this node pruned comes back first-hand (its own entry in the answer of a push-pull
      // this node started with it), with an incarnation above the one it was pruned at, or once it
      // answers a direct probe. Otherwise a peer that has not noticed the partition yet re-adds it
      // as alive by hearsay: a minority node then counted pruned majority members toward F1's
      // majority and acknowledged QUORUM writes (issue 21, docs/decisions.md F14).
      const prunedAt = this.#pruned.get(e.id);
      if (prunedAt !== undefined && !this.#table.has(e.id) && e.incarnation <= prunedAt && e.id !== from) {
        if (state === MemberState.Alive) this.#verifyPruned(e);
        continue;
      }
      const outcome = this.#table.merge(e);
      if (outcome === MergeOutcome.Added) this.#pruned.delete(e.id);
      if (outcome === MergeOutcome.Refuted) {
        refuted = true;
        this.#log('info', { from, claim: e.state, incarnation: this.#table.local.incarnation }, 'self-refuted suspect/dead claim from peer');
      }
    }
    // Spread the refutation now rather than at the next tick (only while the loops run).
    if (refuted && this.#running) void this.gossipTick().catch(() => undefined);
  }

  /**
   * Probes a pruned member that gossip says is alive (one probe per member at a time) and takes
   * the claim once it answers: direct evidence, as a restarted member that gossips to this node
   * gives, where a stale claim from across a partition gets no answer.
   */
  #verifyPruned(e: GossipMember): void {
    if (this.#verifying.has(e.id)) return;
    this.#verifying.add(e.id);
    void this.#probe({ id: e.id, address: e.address })
      .then((ok) => {
        if (ok && !this.#table.has(e.id) && this.#table.merge(e) === MergeOutcome.Added) {
          this.#pruned.delete(e.id);
          this.#answeredAt.set(e.id, this.#now());
          this.#log('info', { peer: e.id }, 'pruned peer answered a probe: re-added');
        }
      })
      .finally(() => this.#verifying.delete(e.id));
  }

  /**
   * `GET /internal/probe?target=` relay (§13): `unknown` when the target is not a member, else
   * whether a direct probe (indirect timeout) reached it.
   */
  async relayProbe(targetId: string): Promise<'ok' | 'failed' | 'unknown'> {
    const target = this.#table.get(targetId);
    if (target === undefined) return 'unknown';
    try {
      await this.#d.transport.probe(target, this.#o.indirectProbeTimeoutMs);
      return 'ok';
    } catch {
      return 'failed';
    }
  }

  #answeredRecently(id: string): boolean {
    const at = this.#answeredAt.get(id);
    return at !== undefined && this.#table.get(id)?.state === MemberState.Alive && this.#now() - at <= 2 * this.#o.heartbeatIntervalMs;
  }

  /** The table's clock is the single time source (its lastSeen values come from it). */
  #now(): number {
    return this.#table.now();
  }

  #pick<T>(xs: readonly T[]): T {
    return xs[Math.min(xs.length - 1, Math.floor(this.#random() * xs.length))];
  }

  #shuffle<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(this.#random() * (i + 1)));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  #log(level: 'info' | 'warn' | 'debug', fields: Record<string, unknown>, msg: string): void {
    this.#d.log?.(level, fields, msg);
  }
}
