import type { DistMetrics } from './dist-metrics';
import { ItemRefusedError, NoOwnersError, OwnersUnreachableError, QuorumFailedError, QuorumUnavailableError } from './errors';
import type { HintQueue } from './hint-queue';
import type { DistItem } from './local-store';
import type { LocalReplica } from './local-replica';
import type { PeerClient } from './peer-client';
import { fanOut, type WriteQuorum } from './write-quorum';

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
}

/**
 * Once a write's consistency level is met, the other replicas get this long to ack too (so a
 * healthy cluster still reports every ack, and answers after all owners hold the item) before
 * the answer goes out without them (docs/decisions.md F4).
 */
const STRAGGLER_GRACE_MS = 50;

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
  readonly #d: WritePathDeps;

  constructor(deps: WritePathDeps) {
    this.#d = deps;
  }

  /** Stores `value` under `key`: coordinates as primary, or forwards (no rollback on failure). */
  async set(key: string, value: Buffer, ttlMs: number): Promise<WriteOutcome> {
    const d = this.#d;
    const owners = d.ownersOf(key);
    if (owners.length === 0) throw new NoOwnersError();
    d.metrics.WriteAttempts++;
    const confirming = this.checkQuorumAvailable(owners);
    if (confirming !== undefined) await confirming;
    if (owners[0] === d.nodeId) return this.coordinateSet(key, value, ttlMs, owners);
    let lastError: unknown;
    let unavailable: unknown;
    for (const target of d.quorum.reachableFirst(owners)) {
      if (target === d.nodeId) {
        d.metrics.WriteForwardPromotion++;
        return this.coordinateSet(key, value, ttlMs, owners);
      }
      try {
        d.metrics.ForwardSet++;
        await d.quorum.tracked(target, () => d.peers.set(target, coordinatorRequest(key, value, ttlMs), true));
        if (target !== owners[0]) d.metrics.WriteForwardPromotion++;
        return { owners, acks: 0 };
      } catch (e) {
        if (d.peers.isQuorumFailure(e)) throw new QuorumFailedError(0, 0);
        // The owner refused the item as larger than its memory limit: another owner would too.
        if (d.peers.isItemTooLarge(e)) throw new ItemRefusedError(`owner ${target} refused the item: larger than its memory limit`, { cause: e });
        if (d.peers.isQuorumUnavailable?.(e)) unavailable = e;
        lastError = e;
      }
    }
    if (unavailable !== undefined) throw this.#unavailable(d.quorum.unavailable(owners, unavailable));
    throw new OwnersUnreachableError('write', { cause: lastError });
  }

  /** Deletes `key` cluster-wide: coordinates as primary, or forwards. Idempotent. */
  async remove(key: string): Promise<WriteOutcome> {
    const d = this.#d;
    const owners = d.ownersOf(key);
    if (owners.length === 0) return { owners, acks: 0 };
    const confirming = this.checkQuorumAvailable(owners);
    if (confirming !== undefined) await confirming;
    if (owners[0] === d.nodeId) return this.coordinateRemove(key, owners);
    let lastError: unknown;
    let unavailable: unknown;
    for (const target of d.quorum.reachableFirst(owners)) {
      if (target === d.nodeId) {
        d.metrics.WriteForwardPromotion++;
        return this.coordinateRemove(key, owners);
      }
      try {
        d.metrics.ForwardRemove++;
        await d.quorum.tracked(target, () => d.peers.remove(target, key, true));
        if (target !== owners[0]) d.metrics.WriteForwardPromotion++;
        return { owners, acks: 0 };
      } catch (e) {
        if (d.peers.isQuorumFailure(e)) throw new QuorumFailedError(0, 0);
        if (d.peers.isQuorumUnavailable?.(e)) unavailable = e;
        lastError = e;
      }
    }
    if (unavailable !== undefined) throw this.#unavailable(d.quorum.unavailable(owners, unavailable));
    throw new OwnersUnreachableError('delete', { cause: lastError });
  }

  /** Versions, stores and fans out a write as (possibly promoted) primary. */
  async coordinateSet(key: string, value: Buffer, ttlMs: number, owners: readonly string[]): Promise<WriteOutcome> {
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
    const needed = d.quorum.requiredAcks(owners);
    d.replica.writeOwn(item);
    const refusedBefore = this.replicaTooLarge;
    const acks = 1 + (await this.fanOutSet(item, owners, needed - 1));
    d.metrics.WriteAcks += acks;
    if (acks < needed) {
      d.metrics.WriteQuorumFailures++;
      if (this.replicaTooLarge > refusedBefore) throw new ItemRefusedError(`replicas refused the item as larger than their memory limit (${acks} of ${needed} acks)`);
      throw new QuorumFailedError(acks, needed);
    }
    return { owners, acks };
  }

  /**
   * Sends `item` to every other owner; resolves with the ack count once `wanted` replicas acked
   * (or all answered): a slow or unreachable replica never delays the answer. Failures, also
   * late ones, are hinted.
   */
  fanOutSet(item: DistItem, owners: readonly string[], wanted: number): Promise<number> {
    const d = this.#d;
    const replicas = owners.filter((id) => id !== d.nodeId);
    d.metrics.ReplicaFanoutSet += replicas.length;
    return fanOut(
      replicas,
      (id) => d.quorum.tracked(id, () => d.peers.set(id, item, false)),
      (id, err) => {
        // A replica whose memory limit is below the item refuses it for good: never hinted.
        if (d.peers.isItemTooLarge(err)) this.replicaTooLarge++;
        else d.hints.enqueue(id, { kind: 'set', key: item.key, bytes: item.key.length + item.value.length, item }, d.now());
      },
      wanted,
      STRAGGLER_GRACE_MS,
    );
  }

  /** Versions a delete, records the tombstone and fans it out as (possibly promoted) primary. */
  async coordinateRemove(key: string, owners: readonly string[]): Promise<WriteOutcome> {
    const d = this.#d;
    const needed = d.quorum.requiredAcks(owners);
    const version = d.replica.issueVersion(key);
    d.replica.applyTombstone(key, { version, origin: d.nodeId });
    const replicas = owners.filter((id) => id !== d.nodeId);
    d.metrics.ReplicaFanoutRemove += replicas.length;
    const acks =
      1 +
      (await fanOut(
        replicas,
        (id) => d.quorum.tracked(id, () => d.peers.remove(id, key, false, version, d.nodeId)),
        (id) => d.hints.enqueue(id, { kind: 'remove', key, bytes: key.length, version, origin: d.nodeId }, d.now()),
        needed - 1,
        STRAGGLER_GRACE_MS,
      ));
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

/** A write request asking the receiver to coordinate (version 0 = "you assign the version"). */
function coordinatorRequest(key: string, value: Buffer, ttlMs: number): DistItem {
  return { key, value, version: 0, origin: '', ttlMs, expiresAtMs: 0, lastUpdatedMs: 0 };
}
