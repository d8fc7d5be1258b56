import { BackgroundLoop, type Timers } from '@hypercache/loops';
import type { KeyOwnership } from '@hypercache/membership';
import { distOps, localHits, type DistOpMessage } from './dist-channels';
import { DistMetrics } from './dist-metrics';
import { LocalChangeKind, type LocalChangeListener } from './local-change';
import { ItemRefusedError, NoOwnersError, NotOwnerError, OwnersUnreachableError, QuorumFailedError, QuorumUnavailableError } from './errors';
import { HintQueue, type Hint } from './hint-queue';
import { resolveDistributedCacheOptions, type DistributedCacheOptions, type ResolvedDistributedCacheOptions } from './distributed-cache-options';
import type { DistItem, LocalStore } from './local-store';
import type { MerkleEntry } from './merkle-tree';
import type { PeerClient } from './peer-client';
import { TombstoneStore } from './tombstone-store';
import { compareStamps, isNewer, requiredAcks, type VersionStamp } from './version-order';
import { fanOut, WriteQuorum, type MembershipView } from './write-quorum';

/** The version source: the hybrid logical clock of dist-protocol.md §4. */
export interface VersionClock {
  /** Issues `max(last + 1, nowMs × 1000, floor + 1)` and remembers it. */
  issue(nowMs: number, floor: number): number;
  /** Folds a version seen on an applied item or tombstone into `last`. */
  observe(version: number): void;
}

/** Payloads of queued hints. */
export type DistHint =
  | { kind: 'set'; key: string; bytes: number; item: DistItem }
  | { kind: 'remove'; key: string; bytes: number; version: number; origin: string };

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
}

/** What a coordinated write or delete reports back to the client API. */
export interface WriteOutcome {
  readonly owners: readonly string[];
  readonly acks: number;
}

/**
 * The cluster's data path on one node (dist-protocol.md §4–§10): forwarding to the primary,
 * coordination with hybrid-logical-clock versions, replica fan-out with ONE/QUORUM/ALL acks,
 * reads with read-repair, versioned tombstones, and hinted handoff for unreachable replicas.
 * Client-facing methods (`set`, `get`, `remove`) and peer-facing ones (`handle*`) share one
 * newer-wins rule, so a stale hint, repair or forward can never overwrite newer data or
 * resurrect a deleted key.
 */
export class DistributedCache {
  readonly metrics: DistMetrics;
  readonly tombstones = new TombstoneStore();
  readonly hints: HintQueue<DistHint>;
  readonly #o: ResolvedDistributedCacheOptions;
  readonly #d: DistributedCacheDeps;
  readonly #self: string;
  readonly #loops: BackgroundLoop[] = [];
  /**
   * Replica writes a reachable owner refused with `413 ITEM_TOO_LARGE` (its memory limit is below
   * the item): never hinted, since a replay would be refused again. Cumulative; `/metrics`
   * `dist_write_replica_too_large_total`. Not a `/dist/metrics` field (upstream shape).
   */
  replicaTooLarge = 0;
  readonly #quorum: WriteQuorum;
  #changeListeners: readonly LocalChangeListener[] = [];

  constructor(deps: DistributedCacheDeps, options: DistributedCacheOptions = {}) {
    this.#o = resolveDistributedCacheOptions(options);
    this.#d = deps;
    this.#self = deps.nodeId;
    this.metrics = deps.metrics ?? new DistMetrics();
    this.#quorum = new WriteQuorum(this.#o, deps.nodeId, deps.peers, deps.membership);
    this.hints = new HintQueue<DistHint>(
      { ttlMs: this.#o.hintTtlMs, maxPerNode: this.#o.hintMaxPerNode, maxTotal: this.#o.hintMaxTotal, maxBytes: this.#o.hintMaxBytes },
      this.metrics,
    );
  }

  /**
   * Registers `listener` for every item write and tombstone this node applies to its own store
   * ({@link LocalChangeListener}; `GET /v1/events`, issue 17). Without listeners a change costs
   * one length check. Returns the unsubscribe function (idempotent).
   */
  onLocalChange(listener: LocalChangeListener): () => void {
    this.#changeListeners = [...this.#changeListeners, listener];
    return () => {
      this.#changeListeners = this.#changeListeners.filter((l) => l !== listener);
    };
  }

  #changed(kind: LocalChangeKind, key: string, version: number, origin: string): void {
    for (const l of this.#changeListeners) l(kind, key, version, origin);
  }

  /** Resolved options (for `/config`-style introspection). */
  get options(): ResolvedDistributedCacheOptions {
    return this.#o;
  }

  /** Owners of `key` in this node's current ring view, primary first. */
  ownersOf(key: string): readonly string[] {
    return this.#d.ownership().ownersOf(key);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts the hint-replay and tombstone-sweep loops (idempotent). */
  start(): void {
    if (this.#loops.length > 0) return;
    if (this.#o.hintTtlMs > 0 && this.#o.hintReplayIntervalMs > 0) {
      this.#loop(this.#o.hintReplayIntervalMs, 'hint replay', () => this.replayHints());
    }
    if (this.#o.tombstoneTtlMs > 0 && this.#o.tombstoneSweepIntervalMs > 0) {
      this.#loop(this.#o.tombstoneSweepIntervalMs, 'tombstone sweep', () => void this.sweepTombstones());
    }
  }

  /** Stops the loops (idempotent). Queued hints are kept in memory until the process ends. */
  stop(): void {
    for (const loop of this.#loops.splice(0)) loop.stop();
  }

  #loop(intervalMs: number, what: string, tick: () => unknown): void {
    const loop = new BackgroundLoop({ name: what, delayMs: intervalMs, tick, timers: this.#d.timers, onError: (e) => this.#d.onBackgroundError?.(e, what) });
    this.#loops.push(loop);
    loop.start();
  }

  /** One hint replay pass (the loop calls this; tests may too). */
  async replayHints(): Promise<void> {
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
    const purged = this.tombstones.sweep(this.#d.now(), this.#o.tombstoneTtlMs);
    this.metrics.TombstonesPurged += purged;
    this.metrics.TombstonesActive = this.tombstones.size;
    return purged;
  }

  // ---------------------------------------------------------------- client-facing

  /**
   * Stores `value` under `key` (dist-protocol.md §5). The primary coordinates; a non-owner
   * forwards to the primary, then to the next owners (each asked to coordinate as promoted
   * primary) when the primary is unreachable. Resolves once the write consistency is met;
   * rejects with {@link QuorumFailedError} otherwise (no rollback).
   */
  set(key: string, value: Buffer, ttlMs: number): Promise<WriteOutcome> {
    if (!distOps.hasSubscribers) return this.#set(key, value, ttlMs);
    return distOps.tracePromise(() => this.#set(key, value, ttlMs), this.#message('set', key, false));
  }

  async #set(key: string, value: Buffer, ttlMs: number): Promise<WriteOutcome> {
    const owners = this.ownersOf(key);
    if (owners.length === 0) throw new NoOwnersError();
    this.metrics.WriteAttempts++;
    this.#checkQuorumAvailable(owners);
    if (owners[0] === this.#self) return this.#coordinateSet(key, value, ttlMs, owners);
    let lastError: unknown;
    let unavailable: unknown;
    for (const target of this.#quorum.reachableFirst(owners)) {
      if (target === this.#self) {
        this.metrics.WriteForwardPromotion++;
        return this.#coordinateSet(key, value, ttlMs, owners);
      }
      try {
        this.metrics.ForwardSet++;
        await this.#quorum.tracked(target, () => this.#d.peers.set(target, coordinatorRequest(key, value, ttlMs), true));
        if (target !== owners[0]) this.metrics.WriteForwardPromotion++;
        return { owners, acks: 0 };
      } catch (e) {
        if (this.#d.peers.isQuorumFailure(e)) throw new QuorumFailedError(0, 0);
        // The owner refused the item as larger than its memory limit: another owner would too.
        if (this.#d.peers.isItemTooLarge(e)) throw new ItemRefusedError(`owner ${target} refused the item: larger than its memory limit`, { cause: e });
        if (this.#d.peers.isQuorumUnavailable?.(e)) unavailable = e;
        lastError = e;
      }
    }
    if (unavailable !== undefined) throw this.#unavailable(this.#quorum.unavailable(owners, unavailable));
    throw new OwnersUnreachableError('write', { cause: lastError });
  }

  /**
   * Reads `key` (dist-protocol.md §7). ONE: the local copy if any, else owners in ring order with
   * read-repair when this node is an owner that lacked it. QUORUM/ALL: the newest of enough
   * found answers, repairing stale owners; too few answers is a miss.
   */
  get(key: string): Promise<DistItem | undefined> {
    if (!distOps.hasSubscribers) return this.#get(key);
    return distOps.tracePromise(() => this.#get(key), this.#message('get', key, false));
  }

  async #get(key: string): Promise<DistItem | undefined> {
    if (this.#o.readConsistency === 'ONE') {
      const local = this.#d.store.read(key);
      if (local !== undefined) return local;
      return this.#readOne(key);
    }
    return this.#readQuorum(key);
  }

  /**
   * The raw-GET fast path: the local value when reads are ONE and this node holds a live copy
   * (synchronous, no metadata copy); undefined means "ask {@link get}".
   */
  localValue(key: string): Buffer | undefined {
    const value = this.#o.readConsistency === 'ONE' ? this.#d.store.readValue(key) : undefined;
    // A miss falls through to get(), which publishes its own event.
    if (value !== undefined && localHits.hasSubscribers) localHits.publish(this.#message('get', key, false));
    return value;
  }

  /** Deletes `key` cluster-wide with a versioned tombstone (dist-protocol.md §6). Idempotent. */
  remove(key: string): Promise<WriteOutcome> {
    if (!distOps.hasSubscribers) return this.#remove(key);
    return distOps.tracePromise(() => this.#remove(key), this.#message('remove', key, false));
  }

  async #remove(key: string): Promise<WriteOutcome> {
    const owners = this.ownersOf(key);
    if (owners.length === 0) return { owners, acks: 0 };
    this.#checkQuorumAvailable(owners);
    if (owners[0] === this.#self) return this.#coordinateRemove(key, owners);
    let lastError: unknown;
    let unavailable: unknown;
    for (const target of this.#quorum.reachableFirst(owners)) {
      if (target === this.#self) {
        this.metrics.WriteForwardPromotion++;
        return this.#coordinateRemove(key, owners);
      }
      try {
        this.metrics.ForwardRemove++;
        await this.#quorum.tracked(target, () => this.#d.peers.remove(target, key, true));
        if (target !== owners[0]) this.metrics.WriteForwardPromotion++;
        return { owners, acks: 0 };
      } catch (e) {
        if (this.#d.peers.isQuorumFailure(e)) throw new QuorumFailedError(0, 0);
        if (this.#d.peers.isQuorumUnavailable?.(e)) unavailable = e;
        lastError = e;
      }
    }
    if (unavailable !== undefined) throw this.#unavailable(this.#quorum.unavailable(owners, unavailable));
    throw new OwnersUnreachableError('delete', { cause: lastError });
  }

  // ---------------------------------------------------------------- peer-facing

  /**
   * `POST /internal/set`. `replicate` with version 0 is a coordinator request (run the full
   * primary path, widened to every owner); `replicate` with a version is a migration (apply if
   * newer, fan out); otherwise a replica write behind the ownership guard. Stale items are
   * acknowledged and dropped.
   */
  handleSet(item: DistItem, replicate: boolean): Promise<void> {
    if (!(replicate && item.version === 0 && distOps.hasSubscribers)) return this.#handleSet(item, replicate);
    return distOps.tracePromise(() => this.#handleSet(item, replicate), this.#message('set', item.key, true));
  }

  async #handleSet(item: DistItem, replicate: boolean): Promise<void> {
    const owners = this.ownersOf(item.key);
    if (replicate && item.version === 0) {
      if (!owners.includes(this.#self)) throw new NotOwnerError();
      this.#checkQuorumAvailable(owners);
      if (owners[0] !== this.#self) this.metrics.WriteForwardPromotion++;
      await this.#coordinateSet(item.key, item.value, item.ttlMs, owners);
      return;
    }
    if (!owners.includes(this.#self)) {
      this.metrics.WriteApplyRefused++;
      return;
    }
    const applied = this.applyIfNewer(item);
    if (replicate && applied) await this.#fanOutSet(item, owners, owners.length);
  }

  /** `GET /internal/get`: the local unexpired copy, untouched. */
  handleGet(key: string): DistItem | undefined {
    return this.#d.store.read(key);
  }

  /**
   * `DELETE /internal/del`. `replicate` = coordinate the delete (tombstone + fan-out); otherwise
   * apply the tombstone (version from the sender, or issued here for upstream senders).
   */
  handleRemove(key: string, replicate: boolean, version?: number, origin?: string): Promise<void> {
    if (!(replicate && distOps.hasSubscribers)) return this.#handleRemove(key, replicate, version, origin);
    return distOps.tracePromise(() => this.#handleRemove(key, replicate, version, origin), this.#message('remove', key, true));
  }

  async #handleRemove(key: string, replicate: boolean, version?: number, origin?: string): Promise<void> {
    if (replicate) {
      const owners = this.ownersOf(key);
      if (owners.length === 0) return;
      this.#checkQuorumAvailable(owners);
      await this.#coordinateRemove(key, owners);
      return;
    }
    const stamp =
      version !== undefined && version > 0
        ? { version, origin: origin ?? this.#self }
        : { version: this.#issueVersion(key), origin: this.#self };
    this.applyTombstone(key, stamp);
  }

  /**
   * Applies an item if it is newer than both the local copy and the local tombstone
   * (dist-protocol.md §4, §10); a newer item clears the tombstone. Returns whether it applied.
   */
  applyIfNewer(item: DistItem): boolean {
    this.#d.clock.observe(item.version);
    const tomb = this.tombstones.get(item.key);
    if (tomb !== undefined && !isNewer(item, tomb)) return false;
    const current = this.#d.store.stamp(item.key);
    if (current !== undefined) {
      const order = compareStamps(item, current);
      if (order <= 0) return false;
      this.metrics.VersionConflicts++;
      if (item.version === current.version) this.metrics.VersionTieBreaks++;
    }
    this.#d.store.write(item);
    if (this.#changeListeners.length !== 0) this.#changed(LocalChangeKind.Set, item.key, item.version, item.origin);
    if (tomb !== undefined) {
      this.tombstones.delete(item.key);
      this.metrics.TombstonesActive = this.tombstones.size;
    }
    return true;
  }

  /** Records a tombstone if newer than the local one, deleting an older local item. */
  applyTombstone(key: string, stamp: VersionStamp): void {
    this.#d.clock.observe(stamp.version);
    const current = this.#d.store.stamp(key);
    if (current !== undefined && compareStamps(current, stamp) > 0) return; // the item is newer than the delete
    const tomb = this.tombstones.get(key);
    const newer = tomb === undefined || compareStamps(stamp, tomb) > 0;
    if (newer) this.tombstones.put(key, { version: stamp.version, origin: stamp.origin, atMs: this.#d.now() });
    const deleted = this.#d.store.delete(key);
    if ((newer || deleted) && this.#changeListeners.length !== 0) this.#changed(LocalChangeKind.Delete, key, stamp.version, stamp.origin);
    this.metrics.TombstonesActive = this.tombstones.size;
  }

  /** Keys stored on this node (expired-but-unswept included; dist-protocol.md §12). */
  localKeys(): string[] {
    return [...this.#d.store.keys()];
  }

  /** Every local item and tombstone as (key, version): the input of the Merkle tree (§11). */
  merkleEntries(): MerkleEntry[] {
    const out: MerkleEntry[] = [];
    for (const key of this.#d.store.keys()) {
      const stamp = this.#d.store.stamp(key);
      if (stamp !== undefined) out.push({ key, version: stamp.version });
    }
    for (const [key, t] of this.tombstones.entries()) out.push({ key, version: t.version });
    return out;
  }

  /**
   * Version stamp of whatever this node holds for `key`: its item (expired or not) or, failing
   * that, its tombstone. Used by anti-entropy to decide which side is newer (§11).
   */
  localStamp(key: string): (VersionStamp & { tombstone: boolean }) | undefined {
    const item = this.#d.store.stamp(key);
    const tomb = this.tombstones.get(key);
    if (item !== undefined && (tomb === undefined || compareStamps(item, tomb) > 0)) return { version: item.version, origin: item.origin, tombstone: false };
    if (tomb !== undefined) return { version: tomb.version, origin: tomb.origin, tombstone: true };
    return undefined;
  }

  /** Every key this node holds an item or a tombstone for (anti-entropy, §11). */
  stampedKeys(): string[] {
    const keys = new Set<string>(this.#d.store.keys());
    for (const k of this.tombstones.keys()) keys.add(k);
    return [...keys];
  }

  /** Drops the local copy of `key` without a tombstone (rebalancing hand-off, §15). */
  dropLocal(key: string): boolean {
    return this.#d.store.delete(key);
  }

  // ---------------------------------------------------------------- internals

  /** The diagnostics-channel context of one operation (built only when someone subscribes). */
  #message(op: DistOpMessage['op'], key: string, coordinator: boolean): DistOpMessage {
    const consistency = op === 'get' ? this.#o.readConsistency : this.#o.writeConsistency;
    return { nodeId: this.#self, op, key, consistency, owners: this.ownersOf(key).length, coordinator };
  }

  #issueVersion(key: string): number {
    const floor = Math.max(this.#d.store.stamp(key)?.version ?? 0, this.tombstones.get(key)?.version ?? 0);
    return this.#d.clock.issue(this.#d.now(), floor);
  }

  async #coordinateSet(key: string, value: Buffer, ttlMs: number, owners: readonly string[]): Promise<WriteOutcome> {
    const now = this.#d.now();
    const item: DistItem = {
      key,
      value,
      version: this.#issueVersion(key),
      origin: this.#self,
      ttlMs,
      expiresAtMs: ttlMs > 0 ? now + ttlMs : 0,
      lastUpdatedMs: now,
    };
    const needed = this.#quorum.requiredAcks(owners);
    this.#d.store.write(item);
    if (this.#changeListeners.length !== 0) this.#changed(LocalChangeKind.Set, key, item.version, item.origin);
    if (this.tombstones.delete(key)) this.metrics.TombstonesActive = this.tombstones.size;
    const refusedBefore = this.replicaTooLarge;
    const acks = 1 + (await this.#fanOutSet(item, owners, needed - 1));
    this.metrics.WriteAcks += acks;
    if (acks < needed) {
      this.metrics.WriteQuorumFailures++;
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
  #fanOutSet(item: DistItem, owners: readonly string[], wanted: number): Promise<number> {
    const replicas = owners.filter((id) => id !== this.#self);
    this.metrics.ReplicaFanoutSet += replicas.length;
    return fanOut(
      replicas,
      (id) => this.#quorum.tracked(id, () => this.#d.peers.set(id, item, false)),
      (id, err) => {
        // A replica whose memory limit is below the item refuses it for good: never hinted.
        if (this.#d.peers.isItemTooLarge(err)) this.replicaTooLarge++;
        else this.hints.enqueue(id, { kind: 'set', key: item.key, bytes: item.key.length + item.value.length, item }, this.#d.now());
      },
      wanted,
      STRAGGLER_GRACE_MS,
    );
  }

  async #coordinateRemove(key: string, owners: readonly string[]): Promise<WriteOutcome> {
    const needed = this.#quorum.requiredAcks(owners);
    const version = this.#issueVersion(key);
    this.applyTombstone(key, { version, origin: this.#self });
    const replicas = owners.filter((id) => id !== this.#self);
    this.metrics.ReplicaFanoutRemove += replicas.length;
    const acks =
      1 +
      (await fanOut(
        replicas,
        (id) => this.#quorum.tracked(id, () => this.#d.peers.remove(id, key, false, version, this.#self)),
        (id) => this.hints.enqueue(id, { kind: 'remove', key, bytes: key.length, version, origin: this.#self }, this.#d.now()),
        needed - 1,
        STRAGGLER_GRACE_MS,
      ));
    if (acks < needed && !this.#o.sloppyQuorum) {
      this.metrics.WriteQuorumFailures++;
      throw new QuorumFailedError(acks, needed);
    }
    return { owners, acks };
  }

  /**
   * Read-repair of the local copy. An item above this node's memory limit (owners configured with
   * different `HYPERCACHE_MAX_MEMORY`) is not repaired, but the read still returns it.
   */
  #repairLocal(item: DistItem): boolean {
    try {
      return this.applyIfNewer(item);
    } catch (e) {
      if ((e as { code?: unknown }).code === ItemRefusedError.WIRE_CODE) return false;
      throw e;
    }
  }

  /** Refuses a QUORUM/ALL write before it touches any data when no write quorum is available (F1). */
  #checkQuorumAvailable(owners: readonly string[]): void {
    const err = this.#quorum.check(owners);
    if (err !== undefined) throw this.#unavailable(err);
  }

  #unavailable(err: QuorumUnavailableError): QuorumUnavailableError {
    this.metrics.WriteQuorumFailures++;
    return err;
  }

  async #readOne(key: string): Promise<DistItem | undefined> {
    const owners = this.ownersOf(key);
    for (const id of this.#quorum.reachableFirst(owners)) {
      if (id === this.#self) continue;
      let item: DistItem | undefined;
      try {
        this.metrics.ForwardGet++;
        item = await this.#quorum.tracked(id, () => this.#d.peers.get(id, key));
      } catch {
        continue;
      }
      if (item === undefined || isExpired(item, this.#d.now())) continue;
      if (id !== owners[0]) this.metrics.ReadPrimaryPromote++;
      if (owners.includes(this.#self) && this.#repairLocal(item)) this.metrics.ReadRepair++;
      return item;
    }
    return undefined;
  }

  async #readQuorum(key: string): Promise<DistItem | undefined> {
    const owners = this.ownersOf(key);
    const needed = requiredAcks(owners.length, this.#o.readConsistency);
    const now = this.#d.now();
    const answers = await Promise.all(
      owners.map(async (id): Promise<DistItem | undefined | null> => {
        if (id === this.#self) return this.#d.store.read(key);
        try {
          this.metrics.ForwardGet++;
          const item = await this.#d.peers.get(id, key);
          return item !== undefined && isExpired(item, now) ? undefined : item;
        } catch {
          return null; // unreachable: neither an ack nor a repair target
        }
      }),
    );
    let newest: DistItem | undefined;
    let acks = 0;
    for (const a of answers) {
      if (a == null) continue;
      acks++;
      if (newest === undefined || compareStamps(a, newest) > 0) newest = a;
    }
    if (newest === undefined || acks < needed) return undefined;
    const chosen = newest;
    await Promise.all(
      owners.map(async (id, i) => {
        const seen = answers[i];
        if (seen === null || (seen !== undefined && compareStamps(chosen, seen) <= 0)) return;
        this.metrics.ReadRepair++;
        if (id === this.#self) this.#repairLocal(chosen);
        else await this.#d.peers.set(id, chosen, false).catch(() => undefined);
      }),
    );
    return chosen;
  }
}

/**
 * Once a write's consistency level is met, the other replicas get this long to ack too (so a
 * healthy cluster still reports every ack, and answers after all owners hold the item) before
 * the answer goes out without them (docs/decisions.md F4).
 */
const STRAGGLER_GRACE_MS = 50;

function isExpired(item: DistItem, nowMs: number): boolean {
  return item.expiresAtMs !== 0 && nowMs > item.expiresAtMs;
}

/** A write request asking the receiver to coordinate (version 0 = "you assign the version"). */
function coordinatorRequest(key: string, value: Buffer, ttlMs: number): DistItem {
  return { key, value, version: 0, origin: '', ttlMs, expiresAtMs: 0, lastUpdatedMs: 0 };
}
