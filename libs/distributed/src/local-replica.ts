import type { DistMetrics } from './dist-metrics';
import type { DistItem, LocalStore } from './local-store';
import type { MerkleEntry } from './merkle-tree';
import { LocalChangeKind, type LocalChangeListener } from './local-change';
import { TombstoneStore } from './tombstone-store';
import { compareStamps, isNewer, type VersionStamp } from './version-order';

/** The version source: the hybrid logical clock of dist-protocol.md §4. */
export interface VersionClock {
  /** Issues `max(last + 1, nowMs × 1000, floor + 1)` and remembers it. */
  issue(nowMs: number, floor: number): number;
  /** Folds a version seen on an applied item or tombstone into `last`. */
  observe(version: number): void;
}

/** Collaborators of {@link LocalReplica}. */
export interface LocalReplicaDeps {
  readonly nodeId: string;
  readonly store: LocalStore;
  readonly clock: VersionClock;
  readonly now: () => number;
  readonly metrics: DistMetrics;
}

/**
 * This node's versioned copy of the data it owns (dist-protocol.md §4, §10): the local store and
 * its tombstones under one newer-wins rule, so no write path, repair, hint or anti-entropy pull
 * can overwrite newer data or bring back a deleted key. Knows nothing of peers.
 */
export class LocalReplica {
  readonly tombstones = new TombstoneStore();
  readonly #d: LocalReplicaDeps;
  #changeListeners: readonly LocalChangeListener[] = [];

  constructor(deps: LocalReplicaDeps) {
    this.#d = deps;
  }

  /**
   * Registers `listener` for every item write and tombstone applied here (`GET /v1/events`,
   * issue 17). Without listeners a change costs one length check. Returns the unsubscribe
   * function (idempotent).
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

  /** The live, unexpired item. */
  read(key: string): DistItem | undefined {
    return this.#d.store.read(key);
  }

  /** Just the value of the live, unexpired item (the raw-GET fast path). */
  readValue(key: string): Buffer | undefined {
    return this.#d.store.readValue(key);
  }

  /**
   * A version for a write or delete of `key` issued here: above the local copy and tombstone, and
   * above `floor` (a newer version a replica reported, docs/decisions.md F16).
   */
  issueVersion(key: string, floor = 0): number {
    const local = Math.max(this.#d.store.stamp(key)?.version ?? 0, this.tombstones.get(key)?.version ?? 0);
    return this.#d.clock.issue(this.#d.now(), Math.max(local, floor));
  }

  /**
   * The version held here that supersedes a write of `key` stamped `stamp` (an item or a tombstone
   * newer by {@link compareStamps}), or undefined when nothing newer is held or it is the same
   * write again. A delete is superseded by a newer item only: a newer tombstone deletes the key
   * all the same. Checked replica writes answer `STALE_VERSION` with it (F16).
   */
  supersedingVersion(key: string, stamp: VersionStamp, isDelete: boolean): number | undefined {
    const held = this.stamp(key);
    if (held === undefined || (isDelete && held.tombstone)) return undefined;
    if (held.version === stamp.version && held.origin === stamp.origin) return undefined;
    return compareStamps(held, stamp) > 0 ? held.version : undefined;
  }

  /** Stores an item this node just versioned as coordinator (it is the newest by construction). */
  writeOwn(item: DistItem): void {
    this.#d.store.write(item);
    if (this.#changeListeners.length !== 0) this.#changed(LocalChangeKind.Set, item.key, item.version, item.origin);
    if (this.tombstones.delete(item.key)) this.#d.metrics.TombstonesActive = this.tombstones.size;
  }

  /**
   * Applies an item if it is newer than both the local copy and the local tombstone; a newer
   * item clears the tombstone. Returns whether it applied.
   */
  applyIfNewer(item: DistItem): boolean {
    this.#d.clock.observe(item.version);
    const tomb = this.tombstones.get(item.key);
    if (tomb !== undefined && !isNewer(item, tomb)) return false;
    const current = this.#d.store.stamp(item.key);
    if (current !== undefined) {
      const order = compareStamps(item, current);
      if (order <= 0) return false;
      this.#d.metrics.VersionConflicts++;
      if (item.version === current.version) this.#d.metrics.VersionTieBreaks++;
    }
    this.#d.store.write(item);
    if (this.#changeListeners.length !== 0) this.#changed(LocalChangeKind.Set, item.key, item.version, item.origin);
    if (tomb !== undefined) {
      this.tombstones.delete(item.key);
      this.#d.metrics.TombstonesActive = this.tombstones.size;
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
    this.#d.metrics.TombstonesActive = this.tombstones.size;
  }

  /** A tombstone for a delete issued on this node (upstream senders send no version). */
  applyOwnTombstone(key: string): void {
    this.applyTombstone(key, { version: this.issueVersion(key), origin: this.#d.nodeId });
  }

  /** Keys stored on this node (expired-but-unswept included). */
  keys(): string[] {
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

  /** Stamp of the item (expired or not) or, failing that, the tombstone held for `key`. */
  stamp(key: string): (VersionStamp & { tombstone: boolean }) | undefined {
    const item = this.#d.store.stamp(key);
    const tomb = this.tombstones.get(key);
    if (item !== undefined && (tomb === undefined || compareStamps(item, tomb) > 0)) return { version: item.version, origin: item.origin, tombstone: false };
    if (tomb !== undefined) return { version: tomb.version, origin: tomb.origin, tombstone: true };
    return undefined;
  }

  /** Every key this node holds an item or a tombstone for. */
  stampedKeys(): string[] {
    const keys = new Set<string>(this.#d.store.keys());
    for (const k of this.tombstones.keys()) keys.add(k);
    return [...keys];
  }

  /** Drops the local copy of `key` without a tombstone. */
  drop(key: string): boolean {
    return this.#d.store.delete(key);
  }

  /** Purges tombstones older than `ttlMs` and refreshes the gauges; returns how many. */
  sweepTombstones(ttlMs: number): number {
    const purged = this.tombstones.sweep(this.#d.now(), ttlMs);
    this.#d.metrics.TombstonesPurged += purged;
    this.#d.metrics.TombstonesActive = this.tombstones.size;
    return purged;
  }

  /** Drops every item and tombstone; returns how many of each. */
  clear(): { items: number; tombstones: number } {
    const keys = this.keys();
    for (const key of keys) this.#d.store.delete(key);
    const tombstones = this.tombstones.size;
    this.tombstones.clear();
    this.#d.metrics.TombstonesActive = 0;
    return { items: keys.length, tombstones };
  }
}
