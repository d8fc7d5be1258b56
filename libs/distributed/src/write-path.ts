import type { DistMetrics } from './dist-metrics';
import { ForwardExpiredError, ItemRefusedError, NoOwnersError, OwnersUnreachableError, QuorumFailedError, QuorumUnavailableError } from './errors';
import type { HintQueue } from './hint-queue';
import type { DistItem } from './local-store';
import type { LocalReplica } from './local-replica';
import type { PeerClient } from './peer-client';
import { fanOut, GIVE_UP_POLL_MS, type WriteQuorum } from './write-quorum';

/** Payloads of queued hints. */
export type DistHint =
  | { kind: 'set'; key: string; bytes: number; item: DistItem }
  | { kind: 'remove'; key: string; bytes: number; version: number; origin: string };

/** What a coordinated write or delete reports back to the client API. */
export interface WriteOutcome {
  readonly owners: readonly string[];
  readonly acks: number;
}

/** Collaborators of {@link WritePath}. */
export interface WritePathDeps {
  readonly nodeId: string;
  readonly replica: LocalReplica;
  readonly peers: PeerClient;
  readonly quorum: WriteQuorum;
  readonly hints: HintQueue<DistHint>;
  readonly ownersOf: (key: string) => readonly string[];
  readonly metrics: DistMetrics;
  readonly sloppyQuorum: boolean;
  readonly now: () => number;
  /** Forward hedging base deadline, ms; 0 = off (docs/decisions.md F10). */
  readonly forwardHedgeMs: number;
  /**
   * `writeCoordinator: 'owner'`: an owner coordinates QUORUM and ALL writes of its keys itself
   * (docs/decisions.md F15, F16).
   */
  readonly ownerCoordinates: boolean;
}

/**
 * Once a write's consistency level is met, the other replicas get this long to ack too (so a
 * healthy cluster still reports every ack, and answers after all owners hold the item) before
 * the answer goes out without them (docs/decisions.md F4).
 */
const STRAGGLER_GRACE_MS = 50;

/**
 * A hedged forward is given up this long after its deadline: the margin for the receiver to
 * issue its version before the deadline and for clock skew between the two nodes (F10).
 */
const HEDGE_SKEW_MS = 100;

/**
 * Forwards of more bytes than this are awaited in full, without a deadline (as upstream), and
 * replica calls of such items are awaited even once their peer is suspected (F10, F13).
 */
const HEDGE_MAX_BYTES = 256 * 1024;

/** Passes over a key's owners with hedged forwards; each doubles the deadline (250 ms … 1 s), the last has none. */
const HEDGE_PASSES = 4;

/** A forward's deadline grows by 1 ms per this many bytes (≈ 2 MiB/s, the transport's floor). */
const HEDGE_BYTES_PER_MS = 2_048;

/** Prefix of a coordinator request's `origin` that carries the sender's deadline (F10). */
const DEADLINE_ORIGIN = 'deadline:';

/**
 * Times a coordinator issues a newer version and sends a write or delete again after a replica
 * refused it as stale (F16). Each retry is above every version reported so far, so only writes
 * racing it can refuse it again; past this the write fails as `QUORUM_FAILED`.
 */
const MAX_RESTAMPS = 3;

/**
 * Writes and deletes (dist-protocol.md §5, §6): the primary coordinates (versions from the hybrid
 * logical clock, replica fan-out, acks counted against the write consistency, hints for failed
 * replicas); a non-owner forwards to the primary, then to the next owners (each asked to
 * coordinate as promoted primary) when the primary is unreachable.
 */
export class WritePath {
  /**
   * Replica writes a reachable owner refused with `413 ITEM_TOO_LARGE` (its memory limit is below
   * the item): never hinted, since a replay would be refused again. Cumulative.
   */
  replicaTooLarge = 0;
  /** Forwards left running unanswered while the next owner was asked (F10). Cumulative. */
  forwardsHedged = 0;
  /** Forwards this node refused as arriving after their deadline (F10). Cumulative. */
  forwardsExpired = 0;
  /** Writes and deletes sent again with a newer version after a replica refused them as stale (F16). Cumulative. */
  restamps = 0;
  readonly #d: WritePathDeps;

  constructor(deps: WritePathDeps) {
    this.#d = deps;
  }

  /**
   * Stores `value` under `key`: coordinates as primary, or forwards (no rollback on failure).
   * Not an async function: a write this node alone owns settles in one microtask instead of six
   * (server CPU per single-node PUT ≈ −0.5 µs of ≈ 36 in alternating runs, docs/benchmarks.md issue 18); every failure
   * still arrives as a rejection.
   */
  set(key: string, value: Buffer, ttlMs: number): Promise<WriteOutcome> {
    const d = this.#d;
    try {
      const owners = d.ownersOf(key);
      if (owners.length === 0) throw new NoOwnersError();
      d.metrics.WriteAttempts++;
      const confirming = this.checkQuorumAvailable(owners);
      if (confirming !== undefined) return confirming.then(() => this.#routeSet(key, value, ttlMs, owners));
      return this.#routeSet(key, value, ttlMs, owners);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Whether this node coordinates a write of a key with these owners instead of forwarding it: as
   * primary, or as any owner with `writeCoordinator: 'owner'` when the write's acks form a strict
   * majority of the owners. Two such quorums share an owner, and that owner refuses a checked
   * write older than what it holds (F16), so a write acknowledged after another is always newer,
   * whichever owners' clocks versioned them. ONE and sloppy writes keep the single writer.
   */
  #coordinatesHere(owners: readonly string[]): boolean {
    const d = this.#d;
    if (owners[0] === d.nodeId) return true;
    return d.ownerCoordinates && !d.sloppyQuorum && owners.includes(d.nodeId) && 2 * d.quorum.requiredAcks(owners) > owners.length;
  }

  #routeSet(key: string, value: Buffer, ttlMs: number, owners: readonly string[]): Promise<WriteOutcome> {
    const d = this.#d;
    if (this.#coordinatesHere(owners)) return this.coordinateSet(key, value, ttlMs, owners);
    return this.#forward(owners, 'write', key.length + value.length, () => this.coordinateSet(key, value, ttlMs, owners), (target, notAfterMs) => {
      d.metrics.ForwardSet++;
      return d.peers.set(target, coordinatorRequest(key, value, ttlMs, notAfterMs), true);
    });
  }

  /** Deletes `key` cluster-wide: coordinates as primary, or forwards. Idempotent. */
  async remove(key: string): Promise<WriteOutcome> {
    const d = this.#d;
    const owners = d.ownersOf(key);
    if (owners.length === 0) return { owners, acks: 0 };
    const confirming = this.checkQuorumAvailable(owners);
    if (confirming !== undefined) await confirming;
    if (this.#coordinatesHere(owners)) return this.coordinateRemove(key, owners);
    return this.#forward(owners, 'delete', key.length, () => this.coordinateRemove(key, owners), (target, notAfterMs) => {
      d.metrics.ForwardRemove++;
      return d.peers.remove(target, key, true, undefined, notAfterMs === 0 ? undefined : forwardDeadlineOrigin(notAfterMs));
    });
  }

  /**
   * Asks the key's owners, reachable ones first, to coordinate (promoting this node when it is
   * one of them). Without hedging each forward is awaited in turn. With forward hedging (F10)
   * every forward carries a deadline ({@link forwardDeadlineOrigin}) and its receiver refuses it
   * once late; one without an answer {@link HEDGE_SKEW_MS} past its deadline is left running and
   * the next owner is asked, in passes over the owners with doubling deadlines. At most one
   * forward of a write is ever before its deadline, and an answer goes out only once no other
   * forward can still start: a forward either ran before a later one was sent (its version is
   * older) or never runs, so no copy of this write can overwrite one acknowledged after it.
   */
  async #forward(
    owners: readonly string[],
    op: 'write' | 'delete',
    bytes: number,
    coordinate: () => Promise<WriteOutcome>,
    send: (target: string, notAfterMs: number) => Promise<void>,
  ): Promise<WriteOutcome> {
    const d = this.#d;
    let lastError: unknown;
    let unavailable: unknown;
    const order = d.quorum.reachableFirst(owners);
    // Large values are not hedged: their transfer, not a silent peer, dominates the wait, and a
    // second copy of megabytes would only add load (32 concurrent 4 MiB forwards failed).
    const hedged = d.forwardHedgeMs > 0 && bytes <= HEDGE_MAX_BYTES;
    /** Forwards still running whose answer may yet come (their deadline passed). */
    const running: Array<Promise<WriteOutcome>> = [];
    const runningTargets: string[] = [];
    /** Per running forward: it has failed since, so no answer can come from it any more. */
    const runningFailed: boolean[] = [];
    /** Owners that refused a hedged forward as late after it was left running. */
    const refusedLate: string[] = [];
    /** Owners that refused a forward as late (FORWARD_EXPIRED): asked again with a longer deadline. */
    let expired = new Set<string>();
    const passes = hedged ? HEDGE_PASSES : 1;
    for (let pass = 0; pass < passes; pass++) {
      const again = expired;
      expired = new Set<string>();
      for (const target of order) {
        // Past the primary (unreachable, failed or hedged), an owner forwarding coordinates itself:
        // one hop fewer than asking the next owner in ring order.
        if (target === d.nodeId || (target !== owners[0] && owners.includes(d.nodeId))) {
          d.metrics.WriteForwardPromotion++;
          return coordinate();
        }
        // Later passes ask again only owners that refused as late and are not known unreachable (F13).
        if (pass > 0 && (!again.has(target) || d.quorum.knownUnreachable(target))) continue;
        // The last pass sends without a deadline and awaits the answer: under heavy load (many
        // large concurrent writes queued behind each other) every owner may refuse as late.
        const final = hedged && pass === passes - 1;
        const limitMs = hedged && !final ? (d.forwardHedgeMs << pass) + Math.ceil(bytes / HEDGE_BYTES_PER_MS) : 0;
        const notAfter = limitMs === 0 ? 0 : d.now() + limitMs;
        const call = d.quorum.tracked(target, () => send(target, notAfter)).then((): WriteOutcome => {
          if (target !== owners[0]) d.metrics.WriteForwardPromotion++;
          return { owners, acks: 0 };
        });
        if (limitMs === 0) {
          // Awaited in full: a forward without a deadline may start any time until it answers.
          const r = await settleWithin(call, 0);
          if (r.state === 'ok') return r.value;
          if (r.state === 'failed') ({ lastError, unavailable } = this.#classify(target, r.error, lastError, unavailable));
          continue;
        }
        // This forward, or an earlier one still running, may answer first.
        const others = running.length === 0 ? undefined : Promise.any(running);
        others?.catch(() => undefined);
        const r = await settleWithin(others === undefined ? call : Promise.race([call, others.catch(() => call)]), limitMs + HEDGE_SKEW_MS);
        if (r.state === 'ok') {
          // An earlier forward answered: this one may still start until its deadline.
          const left = notAfter + HEDGE_SKEW_MS - d.now();
          if (left > 0) await settleWithin(call, left);
          return r.value;
        }
        if (r.state === 'failed') {
          if (d.peers.isForwardExpired?.(r.error)) expired.add(target);
          ({ lastError, unavailable } = this.#classify(target, r.error, lastError, unavailable));
          continue;
        }
        this.forwardsHedged++;
        // A late failure is the peer's (hinted by its coordinator, if any); a late refusal as
        // expired means the owner is alive but slow: it is asked once more without a deadline.
        const index = running.length;
        runningFailed.push(false);
        call.catch((e: unknown) => {
          runningFailed[index] = true;
          if (d.peers.isForwardExpired?.(e)) refusedLate.push(target);
        });
        running.push(call);
        runningTargets.push(target);
      }
      if (expired.size === 0) break;
    }
    if (running.length > 0) {
      // Every forward still running is past its deadline: the first success answers; the wait
      // ends once every forward has failed or still waits on an owner known unreachable (F13).
      // (A reachable owner that answered with a failure must not hold the write until the
      // silent owners' forwards time out: 8 s and more in the chaos suite's 2 | 3 split.)
      const r = await settleOrGiveUp(Promise.any(running), () => runningTargets.every((t, i) => runningFailed[i] || d.quorum.knownUnreachable(t)));
      if (r.state === 'ok') return r.value;
      if (r.state === 'failed') lastError ??= r.error;
      const slow = order.find((t) => refusedLate.includes(t));
      if (r.state === 'failed' && slow !== undefined) {
        const last = await settleWithin(d.quorum.tracked(slow, () => send(slow, 0)), 0);
        if (last.state === 'ok') return { owners, acks: 0 };
        if (last.state === 'failed') ({ lastError, unavailable } = this.#classify(slow, last.error, lastError, unavailable));
      }
    }
    if (unavailable !== undefined) throw this.#unavailable(d.quorum.unavailable(owners, unavailable));
    throw new OwnersUnreachableError(op, { cause: lastError });
  }

  /** Sorts a forward's failure: final ones throw, the rest are remembered for the last error. */
  #classify(target: string, e: unknown, lastError: unknown, unavailable: unknown): { lastError: unknown; unavailable: unknown } {
    const d = this.#d;
    if (d.peers.isQuorumFailure(e)) throw new QuorumFailedError(0, 0);
    // The owner refused the item as larger than its memory limit: another owner would too.
    if (d.peers.isItemTooLarge(e)) throw new ItemRefusedError(`owner ${target} refused the item: larger than its memory limit`, { cause: e });
    return { lastError: e ?? lastError, unavailable: d.peers.isQuorumUnavailable?.(e) ? e : unavailable };
  }

  /**
   * Refuses a forward whose sender's deadline passed (F10): the sender has asked another owner
   * since, and a version issued now would be newer than that owner's, so the late forward could
   * overwrite a write acknowledged after it. `origin` is the coordinator request's origin field.
   */
  checkForwardDeadline(origin: string | undefined): void {
    const notAfter = forwardDeadlineOf(origin);
    if (notAfter === undefined) return;
    const late = this.#d.now() - notAfter;
    if (late > 0) {
      this.forwardsExpired++;
      throw new ForwardExpiredError(late);
    }
  }

  /**
   * Versions, stores and fans out a write as (possibly promoted) primary. A write with no other
   * owner to wait for answers with an already settled promise (see {@link set}). `forwardOrigin`:
   * the origin of the coordinator request this runs for, if forwarded (its deadline bounds
   * re-versioning, F16).
   */
  coordinateSet(key: string, value: Buffer, ttlMs: number, owners: readonly string[], forwardOrigin?: string): Promise<WriteOutcome> {
    const d = this.#d;
    let item: DistItem;
    let needed: number;
    try {
      needed = d.quorum.requiredAcks(owners);
      item = this.#writeOwn(key, value, ttlMs);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.#alone(owners, needed)) {
      d.metrics.WriteAcks += 1;
      return Promise.resolve({ owners, acks: 1 });
    }
    return this.#replicateSet(item, owners, needed, forwardOrigin);
  }

  /**
   * {@link set} of a write this node completes alone, without a promise: when it is the key's
   * only owner, one ack is enough and the quorum check passes (a single node, or RF 1 on the
   * key's owner). The same metrics, version and local write as `set`; throws what `set` would
   * reject with. Undefined = not such a write, nothing done: call `set`. The client API's PUT
   * fast path calls it first, which saves the promise `set` settles and the microtask turn that
   * answers it (≈ 1 µs of ≈ 36 per PUT, issue 18, docs/benchmarks.md).
   */
  setAlone(key: string, value: Buffer, ttlMs: number): WriteOutcome | undefined {
    const d = this.#d;
    const owners = d.ownersOf(key);
    if (!this.#alone(owners, d.quorum.requiredAcks(owners)) || d.quorum.check(owners) !== undefined) return undefined;
    d.metrics.WriteAttempts++;
    this.#writeOwn(key, value, ttlMs);
    d.metrics.WriteAcks += 1;
    return { owners, acks: 1 };
  }

  /** This node is the only owner and its own ack is enough: the write needs no peer. */
  #alone(owners: readonly string[], needed: number): boolean {
    return owners.length === 1 && owners[0] === this.#d.nodeId && needed <= 1;
  }

  /** Versions `value` with this node's clock and stores it locally (throws what the engine refuses). */
  #writeOwn(key: string, value: Buffer, ttlMs: number): DistItem {
    const d = this.#d;
    const now = d.now();
    const item: DistItem = {
      key,
      value,
      version: d.replica.issueVersion(key),
      origin: d.nodeId,
      ttlMs,
      expiresAtMs: ttlMs > 0 ? now + ttlMs : 0,
      lastUpdatedMs: now,
    };
    d.replica.writeOwn(item);
    return item;
  }

  async #replicateSet(item: DistItem, owners: readonly string[], needed: number, forwardOrigin: string | undefined): Promise<WriteOutcome> {
    const d = this.#d;
    const refusedBefore = this.replicaTooLarge;
    let acks = 0;
    for (let reissued = 0; ; reissued++) {
      const stale = { newest: 0 };
      acks = 1 + (await this.fanOutSet(item, owners, needed - 1, stale));
      if (!this.#reissues(acks, needed, stale, reissued, forwardOrigin)) break;
      item = { ...item, version: d.replica.issueVersion(item.key, stale.newest), lastUpdatedMs: d.now() };
      d.replica.writeOwn(item);
    }
    d.metrics.WriteAcks += acks;
    if (acks < needed) {
      d.metrics.WriteQuorumFailures++;
      if (this.replicaTooLarge > refusedBefore) throw new ItemRefusedError(`replicas refused the item as larger than their memory limit (${acks} of ${needed} acks)`);
      throw new QuorumFailedError(acks, needed);
    }
    return { owners, acks };
  }

  /**
   * Whether a coordinated write or delete that got `acks` of `needed` is issued again with a
   * version above `stale.newest` (F16), counting it: only when a replica refused it as stale,
   * fewer than {@link MAX_RESTAMPS} times, and for a forwarded one only before the sender's
   * deadline (F10), after which the sender may have had it coordinated elsewhere and acknowledged
   * newer writes since. A write not acknowledged anywhere yet may be ordered after the write it
   * was refused for (issued by an owner whose clock runs ahead of ours).
   */
  #reissues(acks: number, needed: number, stale: { newest: number }, reissued: number, forwardOrigin: string | undefined): boolean {
    if (acks >= needed || stale.newest === 0 || reissued === MAX_RESTAMPS) return false;
    const notAfter = forwardDeadlineOf(forwardOrigin);
    if (notAfter !== undefined && this.#d.now() > notAfter) return false;
    this.restamps++;
    return true;
  }

  /** Keeps the newer version a checked replica write or delete was refused with (F16); false for any other failure. */
  #noteStale(stale: { newest: number }, err: unknown): boolean {
    const newer = this.#d.peers.staleVersion?.(err);
    if (newer === undefined) return false;
    stale.newest = Math.max(stale.newest, newer);
    return true;
  }

  /**
   * Sends `item` to every other owner; resolves with the ack count once `wanted` replicas acked
   * (or all answered): a slow or unreachable replica never delays the answer. Failures, also
   * late ones, are hinted. With `stale`, the replica writes are checked (F16): a replica holding
   * a newer version refuses, is not hinted, and the newest such version is kept in `stale`.
   */
  fanOutSet(item: DistItem, owners: readonly string[], wanted: number, stale?: { newest: number }): Promise<number> {
    const d = this.#d;
    const replicas = owners.filter((id) => id !== d.nodeId);
    d.metrics.ReplicaFanoutSet += replicas.length;
    const check = stale !== undefined;
    return fanOut(
      replicas,
      (id) => d.quorum.tracked(id, () => d.peers.set(id, item, false, check)),
      (id, err) => {
        if (stale !== undefined && this.#noteStale(stale, err)) return;
        // A replica whose memory limit is below the item refuses it for good: never hinted.
        if (d.peers.isItemTooLarge(err)) this.replicaTooLarge++;
        else d.hints.enqueue(id, { kind: 'set', key: item.key, bytes: item.key.length + item.value.length, item }, d.now());
      },
      wanted,
      STRAGGLER_GRACE_MS,
      // A large item's replica call can outlast the evidence window while the replica is busy
      // receiving it: only small writes stop waiting for a suspect (F13).
      item.key.length + item.value.length <= HEDGE_MAX_BYTES ? (id) => d.quorum.knownUnreachable(id) : undefined,
    );
  }

  /**
   * Versions a delete, records the tombstone and fans it out (checked, F16) as (possibly promoted)
   * primary; issued again above a newer item a replica reports, like a write.
   */
  async coordinateRemove(key: string, owners: readonly string[], forwardOrigin?: string): Promise<WriteOutcome> {
    const d = this.#d;
    const needed = d.quorum.requiredAcks(owners);
    const replicas = owners.filter((id) => id !== d.nodeId);
    let acks = 0;
    let floor = 0;
    for (let reissued = 0; ; reissued++) {
      const version = d.replica.issueVersion(key, floor);
      d.replica.applyTombstone(key, { version, origin: d.nodeId });
      d.metrics.ReplicaFanoutRemove += replicas.length;
      const stale = { newest: 0 };
      acks =
        1 +
        (await fanOut(
          replicas,
          (id) => d.quorum.tracked(id, () => d.peers.remove(id, key, false, version, d.nodeId, true)),
          (id, err) => {
            if (!this.#noteStale(stale, err)) d.hints.enqueue(id, { kind: 'remove', key, bytes: key.length, version, origin: d.nodeId }, d.now());
          },
          needed - 1,
          STRAGGLER_GRACE_MS,
          (id) => d.quorum.knownUnreachable(id),
        ));
      if (!this.#reissues(acks, needed, stale, reissued, forwardOrigin)) break;
      floor = stale.newest;
    }
    if (acks < needed && !d.sloppyQuorum) {
      d.metrics.WriteQuorumFailures++;
      throw new QuorumFailedError(acks, needed);
    }
    return { owners, acks };
  }

  /**
   * Refuses a QUORUM/ALL write before it touches any data when no write quorum is available (F1),
   * after probing the suspects once ({@link WriteQuorum.confirm}). Undefined when the write may
   * proceed, so the happy path awaits nothing; else a promise that rejects with the refusal or
   * resolves once the probes found a majority. Callers: `await` it when defined.
   */
  checkQuorumAvailable(owners: readonly string[]): Promise<void> | undefined {
    const refusal = this.#d.quorum.check(owners);
    if (refusal === undefined) return undefined;
    return this.#d.quorum.confirm(owners, refusal).then((err) => {
      if (err !== undefined) throw this.#unavailable(err);
    });
  }

  #unavailable(err: QuorumUnavailableError): QuorumUnavailableError {
    this.#d.metrics.WriteQuorumFailures++;
    return err;
  }
}

/**
 * A write request asking the receiver to coordinate (version 0 = "you assign the version"); its
 * otherwise empty `origin` carries the sender's deadline when hedged (F10).
 */
function coordinatorRequest(key: string, value: Buffer, ttlMs: number, notAfterMs: number): DistItem {
  return { key, value, version: 0, origin: notAfterMs === 0 ? '' : forwardDeadlineOrigin(notAfterMs), ttlMs, expiresAtMs: 0, lastUpdatedMs: 0 };
}

/** The `origin` of a coordinator request that must not run after `notAfterMs` (epoch ms). */
export function forwardDeadlineOrigin(notAfterMs: number): string {
  return `${DEADLINE_ORIGIN}${notAfterMs}`;
}

/** The deadline a coordinator request's `origin` carries, if any (other origins: none). */
export function forwardDeadlineOf(origin: string | undefined): number | undefined {
  if (origin === undefined || !origin.startsWith(DEADLINE_ORIGIN)) return undefined;
  const n = Number(origin.slice(DEADLINE_ORIGIN.length));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** How `p` settled, or `pending` once `giveUp()` holds (checked every {@link GIVE_UP_POLL_MS}). */
function settleOrGiveUp<T>(p: Promise<T>, giveUp: () => boolean): Promise<Settled<T>> {
  const settled = p.then(
    (value): Settled<T> => ({ state: 'ok', value }),
    (error: unknown): Settled<T> => ({ state: 'failed', error }),
  );
  let poll: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<Settled<T>>((r) => {
    poll = setInterval(() => {
      if (giveUp()) r({ state: 'pending' });
    }, GIVE_UP_POLL_MS).unref();
  });
  return Promise.race([settled, gaveUp]).finally(() => clearInterval(poll));
}

type Settled<T> = { state: 'ok'; value: T } | { state: 'failed'; error: unknown } | { state: 'pending' };

/** How `p` settled within `ms` (0 = wait for it however long it takes). */
function settleWithin<T>(p: Promise<T>, ms: number): Promise<Settled<T>> {
  const settled = p.then(
    (value): Settled<T> => ({ state: 'ok', value }),
    (error: unknown): Settled<T> => ({ state: 'failed', error }),
  );
  if (ms <= 0) return settled;
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<Settled<T>>((r) => {
    timer = setTimeout(() => r({ state: 'pending' }), ms);
  });
  return Promise.race([settled, pending]).finally(() => clearTimeout(timer));
}
