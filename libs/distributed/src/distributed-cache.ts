import { BackgroundLoop, type Timers } from '@hypercache/loops';
import type { KeyOwnership } from '@hypercache/membership';
import { distOps, localHits, type DistOpMessage } from './dist-channels';
import { DistMetrics } from './dist-metrics';
import type { LocalChangeListener } from './local-change';
import { NotOwnerError, StaleVersionError } from './errors';
import { HintQueue, type Hint } from './hint-queue';
import { IsolationGuard } from './isolation-guard';
import { resolveDistributedCacheOptions, type DistributedCacheOptions, type ResolvedDistributedCacheOptions } from './distributed-cache-options';
import { LocalReplica, type VersionClock } from './local-replica';
import type { DistItem, LocalStore } from './local-store';
import type { MerkleEntry } from './merkle-tree';
import type { PeerClient } from './peer-client';
import { ReadPath } from './read-path';
import type { TombstoneStore } from './tombstone-store';
import type { VersionStamp } from './version-order';
import { WritePath, type DistHint, type WriteOutcome } from './write-path';
import { WriteQuorum, type MembershipView } from './write-quorum';

export type { VersionClock } from './local-replica';
export type { DistHint, WriteOutcome } from './write-path';

/** Collaborators of {@link DistributedCache}. */
export interface DistributedCacheDeps {
  /** This node's ID (origin of the versions it issues). */
  nodeId: string;
  store: LocalStore;
  /** The current ring view (membership changes swap it). */
  ownership: () => KeyOwnership;
  peers: PeerClient;
  clock: VersionClock;
  now: () => number;
  metrics?: DistMetrics;
  /**
   * The membership as the write path sees it (majority check, RF cap, try-reachable-first). Absent
   * = no majority check (in-process tests); see docs/decisions.md F1.
   */
  membership?: MembershipView;
  /** Called with background failures (hint replay, sweeps) that have no caller to report to. */
  onBackgroundError?: (err: unknown, what: string) => void;
  /** Timers of the hint-replay and tombstone-sweep loops (default: Node's, unref()'d). */
  timers?: Timers;
  /** Told when this node dropped its local data after too long without a majority (D19). */
  onIsolationDrop?: (drop: IsolationDrop) => void;
}

/** What {@link DistributedCache} dropped after too long without a majority (docs/decisions.md D19). */
export interface IsolationDrop {
  /** How long the node had seen no majority (ms). */
  readonly isolatedMs: number;
  readonly items: number;
  readonly tombstones: number;
  readonly hints: number;
}

/**
 * The cluster's data path on one node (dist-protocol.md §4–§10): forwarding to the primary,
 * coordination with hybrid-logical-clock versions, replica fan-out with ONE/QUORUM/ALL acks,
 * reads with read-repair, versioned tombstones, and hinted handoff for unreachable replicas.
 * Client-facing methods (`set`, `get`, `remove`) and peer-facing ones (`handle*`) share one
 * newer-wins rule ({@link LocalReplica}), so a stale hint, repair or forward can never overwrite
 * newer data or resurrect a deleted key. The read and write paths are {@link ReadPath} and
 * {@link WritePath}; this class wires them, traces client operations, answers peers, runs the
 * background loops and keeps a node that was cut off too long from serving old data (D19).
 */
export class DistributedCache {
  readonly metrics: DistMetrics;
  readonly hints: HintQueue<DistHint>;
  readonly #o: ResolvedDistributedCacheOptions;
  readonly #d: DistributedCacheDeps;
  readonly #self: string;
  readonly #loops: BackgroundLoop[] = [];
  readonly #replica: LocalReplica;
  readonly #reads: ReadPath;
  readonly #writes: WritePath;
  readonly #quorum: WriteQuorum;
  /** Absent without a membership view or with tombstones kept forever (nothing can be forgotten). */
  readonly #isolation: IsolationGuard | undefined;
  /** Times this node dropped its local data after too long without a majority (D19). Cumulative. */
  isolationDrops = 0;

  constructor(deps: DistributedCacheDeps, options: DistributedCacheOptions = {}) {
    this.#o = resolveDistributedCacheOptions(options);
    this.#d = deps;
    this.#self = deps.nodeId;
    this.metrics = deps.metrics ?? new DistMetrics();
    this.#quorum = new WriteQuorum(this.#o, deps.nodeId, deps.peers, deps.membership, deps.now);
    this.hints = new HintQueue<DistHint>(
      { ttlMs: this.#o.hintTtlMs, maxPerNode: this.#o.hintMaxPerNode, maxTotal: this.#o.hintMaxTotal, maxBytes: this.#o.hintMaxBytes },
      this.metrics,
    );
    const common = { nodeId: deps.nodeId, metrics: this.metrics, now: deps.now };
    this.#replica = new LocalReplica({ ...common, store: deps.store, clock: deps.clock });
    const paths = { ...common, replica: this.#replica, peers: deps.peers, quorum: this.#quorum, ownersOf: (key: string) => this.ownersOf(key) };
    this.#reads = new ReadPath({ ...paths, readConsistency: this.#o.readConsistency });
    this.#writes = new WritePath({ ...paths, hints: this.hints, sloppyQuorum: this.#o.sloppyQuorum, forwardHedgeMs: this.#o.forwardHedgeMs, ownerCoordinates: this.#o.writeCoordinator === 'owner' });
    const m = deps.membership;
    this.#isolation =
      m !== undefined && this.#o.tombstoneTtlMs > 0
        ? new IsolationGuard(
            {
              now: deps.now,
              hasMajority: () => 2 * m.reachableCount() > m.knownCount(),
              drop: (isolatedMs) => this.#dropIsolated(isolatedMs),
              timers: deps.timers,
              onError: (e) => deps.onBackgroundError?.(e, 'isolation guard'),
            },
            Math.max(1, Math.floor(this.#o.tombstoneTtlMs / 2)),
          )
        : undefined;
  }

  /**
   * Registers `listener` for every item write and tombstone this node applies to its own store
   * ({@link LocalChangeListener}; `GET /v1/events`, issue 17). Without listeners a change costs
   * one length check. Returns the unsubscribe function (idempotent).
   */
  onLocalChange(listener: LocalChangeListener): () => void {
    return this.#replica.onLocalChange(listener);
  }

  /** Resolved options (for `/config`-style introspection). */
  get options(): ResolvedDistributedCacheOptions {
    return this.#o;
  }

  /** Versioned tombstones of this node (dist-protocol.md §10). */
  get tombstones(): TombstoneStore {
    return this.#replica.tombstones;
  }

  /**
   * Replica writes a reachable owner refused with `413 ITEM_TOO_LARGE` (its memory limit is below
   * the item): never hinted, since a replay would be refused again. Cumulative; `/metrics`
   * `dist_write_replica_too_large_total`. Not a `/dist/metrics` field (upstream shape).
   */
  get replicaTooLarge(): number {
    return this.#writes.replicaTooLarge;
  }

  /**
   * Writes and deletes this node coordinated and sent again with a newer version after a replica
   * refused them as older than what it holds (docs/decisions.md F16). Cumulative; `/metrics`
   * `dist_write_restamps_total`.
   */
  get writeRestamps(): number {
    return this.#writes.restamps;
  }

  /** Owners of `key` in this node's current ring view, primary first. */
  ownersOf(key: string): readonly string[] {
    return this.#d.ownership().ownersOf(key);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts the hint-replay, tombstone-sweep and isolation-watch loops (idempotent). */
  start(): void {
    if (this.#loops.length > 0) return;
    this.#isolation?.start();
    if (this.#o.hintTtlMs > 0 && this.#o.hintReplayIntervalMs > 0) {
      this.#loop(this.#o.hintReplayIntervalMs, 'hint replay', () => this.replayHints());
    }
    if (this.#o.tombstoneTtlMs > 0 && this.#o.tombstoneSweepIntervalMs > 0) {
      this.#loop(this.#o.tombstoneSweepIntervalMs, 'tombstone sweep', () => void this.sweepTombstones());
    }
  }

  /** Stops the loops (idempotent). Queued hints are kept in memory until the process ends. */
  stop(): void {
    this.#isolation?.stop();
    for (const loop of this.#loops.splice(0)) loop.stop();
  }

  #loop(intervalMs: number, what: string, tick: () => unknown): void {
    const loop = new BackgroundLoop({ name: what, delayMs: intervalMs, tick, timers: this.#d.timers, onError: (e) => this.#d.onBackgroundError?.(e, what) });
    this.#loops.push(loop);
    loop.start();
  }

  /** One hint replay pass (the loop calls this; tests may too). */
  async replayHints(): Promise<void> {
    this.#isolation?.check();
    await this.hints.replay(this.#d.now(), (hint: Hint<DistHint>) => {
      const p = hint.payload;
      return this.#quorum.tracked(hint.target, () =>
        p.kind === 'set' ? this.#d.peers.set(hint.target, p.item, false) : this.#d.peers.remove(hint.target, p.key, false, p.version, p.origin),
      );
    });
  }

  /** Purges expired tombstones (TTL) and refreshes the gauge. */
  sweepTombstones(): number {
    if (this.#o.tombstoneTtlMs <= 0) return 0;
    return this.#replica.sweepTombstones(this.#o.tombstoneTtlMs);
  }

  /**
   * Drops every local item, tombstone and hint (docs/decisions.md D19): this node saw no
   * majority for longer than half the tombstone TTL, so it may hold copies of keys the others
   * deleted and have since forgotten. It then answers like a new, empty node.
   */
  #dropIsolated(isolatedMs: number): void {
    const hints = this.hints.size;
    const { items, tombstones } = this.#replica.clear();
    this.hints.clear();
    this.isolationDrops++;
    this.#d.onIsolationDrop?.({ isolatedMs, items, tombstones, hints });
  }

  // ---------------------------------------------------------------- client-facing

  /**
   * Stores `value` under `key` (dist-protocol.md §5). The primary coordinates; a non-owner
   * forwards to the primary, then to the next owners (each asked to coordinate as promoted
   * primary) when the primary is unreachable. Resolves once the write consistency is met;
   * rejects with {@link QuorumFailedError} otherwise (no rollback).
   */
  set(key: string, value: Buffer, ttlMs: number): Promise<WriteOutcome> {
    this.#isolation?.check();
    if (!distOps.hasSubscribers) return this.#writes.set(key, value, ttlMs);
    return distOps.tracePromise(() => this.#writes.set(key, value, ttlMs), this.#message('set', key, false));
  }

  /**
   * {@link set} without a promise when this node alone completes the write
   * ({@link WritePath.setAlone}); undefined = call `set`. Not while dist operations are traced
   * (their spans follow the promise).
   */
  setAlone(key: string, value: Buffer, ttlMs: number): WriteOutcome | undefined {
    if (distOps.hasSubscribers) return undefined;
    this.#isolation?.check();
    return this.#writes.setAlone(key, value, ttlMs);
  }

  /**
   * Reads `key` (dist-protocol.md §7). ONE: the local copy if any, else owners in ring order with
   * read-repair when this node is an owner that lacked it. QUORUM/ALL: the newest of enough
   * found answers, repairing stale owners; too few answers is a miss.
   */
  get(key: string): Promise<DistItem | undefined> {
    this.#isolation?.check();
    if (!distOps.hasSubscribers) return this.#reads.read(key);
    return distOps.tracePromise(() => this.#reads.read(key), this.#message('get', key, false));
  }

  /**
   * The raw-GET fast path: the local value when reads are ONE and this node holds a live copy
   * (synchronous, no metadata copy); undefined means "ask {@link get}".
   */
  localValue(key: string): Buffer | undefined {
    this.#isolation?.check();
    const value = this.#reads.localValue(key);
    // A miss falls through to get(), which publishes its own event.
    if (value !== undefined && localHits.hasSubscribers) localHits.publish(this.#message('get', key, false));
    return value;
  }

  /** Deletes `key` cluster-wide with a versioned tombstone (dist-protocol.md §6). Idempotent. */
  remove(key: string): Promise<WriteOutcome> {
    this.#isolation?.check();
    if (!distOps.hasSubscribers) return this.#writes.remove(key);
    return distOps.tracePromise(() => this.#writes.remove(key), this.#message('remove', key, false));
  }

  // ---------------------------------------------------------------- peer-facing

  /**
   * `POST /internal/set`. `replicate` with version 0 is a coordinator request (run the full
   * primary path, widened to every owner); `replicate` with a version is a migration (apply if
   * newer, fan out); otherwise a replica write behind the ownership guard. Stale items are
   * acknowledged and dropped, unless `check` (a coordinator's checked replica write, F16): then a
   * stale item is refused with {@link StaleVersionError}.
   */
  handleSet(item: DistItem, replicate: boolean, check = false): Promise<void> {
    this.#isolation?.check();
    if (!(replicate && item.version === 0 && distOps.hasSubscribers)) return this.#handleSet(item, replicate, check);
    return distOps.tracePromise(() => this.#handleSet(item, replicate, check), this.#message('set', item.key, true));
  }

  async #handleSet(item: DistItem, replicate: boolean, check: boolean): Promise<void> {
    const owners = this.ownersOf(item.key);
    if (replicate && item.version === 0) {
      if (!owners.includes(this.#self)) throw new NotOwnerError();
      this.#writes.checkForwardDeadline(item.origin);
      const confirming = this.#writes.checkQuorumAvailable(owners);
      if (confirming !== undefined) await confirming;
      if (owners[0] !== this.#self) this.metrics.WriteForwardPromotion++;
      await this.#writes.coordinateSet(item.key, item.value, item.ttlMs, owners, item.origin);
      return;
    }
    if (!owners.includes(this.#self)) {
      this.metrics.WriteApplyRefused++;
      return;
    }
    const applied = this.#replica.applyIfNewer(item);
    if (replicate && applied) await this.#writes.fanOutSet(item, owners, owners.length);
    if (check && !applied) {
      const newer = this.#replica.supersedingVersion(item.key, item, false);
      if (newer !== undefined) throw new StaleVersionError(newer);
    }
  }

  /** `GET /internal/get`: the local unexpired copy, untouched. */
  handleGet(key: string): DistItem | undefined {
    this.#isolation?.check();
    return this.#replica.read(key);
  }

  /**
   * `DELETE /internal/del`. `replicate` = coordinate the delete (tombstone + fan-out); otherwise
   * apply the tombstone (version from the sender, or issued here for upstream senders).
   */
  handleRemove(key: string, replicate: boolean, version?: number, origin?: string, check = false): Promise<void> {
    this.#isolation?.check();
    if (!(replicate && distOps.hasSubscribers)) return this.#handleRemove(key, replicate, version, origin, check);
    return distOps.tracePromise(() => this.#handleRemove(key, replicate, version, origin, check), this.#message('remove', key, true));
  }

  async #handleRemove(key: string, replicate: boolean, version: number | undefined, origin: string | undefined, check: boolean): Promise<void> {
    if (replicate) {
      const owners = this.ownersOf(key);
      if (owners.length === 0) return;
      this.#writes.checkForwardDeadline(origin);
      const confirming = this.#writes.checkQuorumAvailable(owners);
      if (confirming !== undefined) await confirming;
      await this.#writes.coordinateRemove(key, owners, origin);
      return;
    }
    if (version === undefined || version <= 0) {
      this.#replica.applyOwnTombstone(key);
      return;
    }
    const stamp = { version, origin: origin ?? this.#self };
    this.#replica.applyTombstone(key, stamp);
    if (check) {
      // A newer item survives the tombstone: the delete would be lost without a newer version (F16).
      const newer = this.#replica.supersedingVersion(key, stamp, true);
      if (newer !== undefined) throw new StaleVersionError(newer);
    }
  }

  // ---------------------------------------------------------------- local state (anti-entropy, rebalancing)

  /**
   * Applies an item if it is newer than both the local copy and the local tombstone
   * (dist-protocol.md §4, §10); a newer item clears the tombstone. Returns whether it applied.
   */
  applyIfNewer(item: DistItem): boolean {
    this.#isolation?.check();
    return this.#replica.applyIfNewer(item);
  }

  /** Records a tombstone if newer than the local one, deleting an older local item. */
  applyTombstone(key: string, stamp: VersionStamp): void {
    this.#isolation?.check();
    this.#replica.applyTombstone(key, stamp);
  }

  /** Keys stored on this node (expired-but-unswept included; dist-protocol.md §12). */
  localKeys(): string[] {
    this.#isolation?.check();
    return this.#replica.keys();
  }

  /** Every local item and tombstone as (key, version): the input of the Merkle tree (§11). */
  merkleEntries(): MerkleEntry[] {
    this.#isolation?.check();
    return this.#replica.merkleEntries();
  }

  /**
   * Version stamp of whatever this node holds for `key`: its item (expired or not) or, failing
   * that, its tombstone. Used by anti-entropy to decide which side is newer (§11).
   */
  localStamp(key: string): (VersionStamp & { tombstone: boolean }) | undefined {
    this.#isolation?.check();
    return this.#replica.stamp(key);
  }

  /** Every key this node holds an item or a tombstone for (anti-entropy, §11). */
  stampedKeys(): string[] {
    this.#isolation?.check();
    return this.#replica.stampedKeys();
  }

  /** Drops the local copy of `key` without a tombstone (rebalancing hand-off, §15). */
  dropLocal(key: string): boolean {
    return this.#replica.drop(key);
  }

  /** The diagnostics-channel context of one operation (built only when someone subscribes). */
  #message(op: DistOpMessage['op'], key: string, coordinator: boolean): DistOpMessage {
    const consistency = op === 'get' ? this.#o.readConsistency : this.#o.writeConsistency;
    return { nodeId: this.#self, op, key, consistency, owners: this.ownersOf(key).length, coordinator };
  }
}
