import { BackgroundLoop, type Timers } from '@hypercache/loops';
import { createHash } from 'node:crypto';
import { fnv1a32 } from '@hypercache/hashing';
import type { KeyOwnership } from '@hypercache/membership';
import type { DistMetrics } from './dist-metrics';
import type { DistributedCache } from './distributed-cache';
import type { DistItem } from './local-store';
import { compareStamps } from './version-order';

/** A key's stamp as exchanged by anti-entropy (`GET /internal/merkle/entries`). */
export interface SyncEntry {
  readonly key: string;
  readonly version: number;
  readonly origin: string;
  readonly tombstone: boolean;
}

/** A per-peer tree (`GET /internal/merkle?peer=&buckets=`). */
export interface SyncTree {
  readonly root: string | null;
  readonly leaf_hashes: string[] | null;
  readonly chunk_size: number;
  readonly buckets?: number;
}

/** The peer calls anti-entropy makes, by node ID. */
export interface AntiEntropyPeers {
  tree(peerId: string, buckets: number): Promise<SyncTree>;
  entries(peerId: string, buckets: number, indexes: readonly number[]): Promise<SyncEntry[]>;
  get(peerId: string, key: string): Promise<DistItem | undefined>;
}

export interface AntiEntropyOptions {
  /** Auto-sync tick in ms; ≤ 0 disables the loop (manual {@link AntiEntropy.syncWith} still works). */
  intervalMs?: number;
  /** Peers synced per tick; 0 = all. Default 2. */
  peersPerTick?: number;
  /** Target entries per leaf; the bucket count is the next power of two ≥ entries / chunkSize. Default 128. */
  chunkSize?: number;
}

export interface AntiEntropyDeps {
  nodeId: string;
  dist: DistributedCache;
  ownership: () => KeyOwnership;
  peers: AntiEntropyPeers;
  /** Peers to sync with (alive members other than self). */
  syncPeers: () => string[];
  metrics: DistMetrics;
  onError?: (err: unknown, what: string) => void;
  /** Timers of the auto-sync loop (default: Node's, unref()'d); tests inject manual ones. */
  timers?: Timers;
}

/** Outcome of one {@link AntiEntropy.syncWith}. */
export interface SyncResult {
  readonly clean: boolean;
  readonly differingBuckets: number;
  readonly pulled: number;
}

const MAX_BUCKETS = 4096;
/** Catch-up mode: ticks syncing with every peer, and their maximum spacing. */
const CATCH_UP_TICKS = 10;
const CATCH_UP_INTERVAL_MS = 1_000;
const BUCKETS_PER_REQUEST = 256;

/**
 * Pull-based Merkle anti-entropy (dist-protocol.md §11) restricted to the keys both nodes own
 * (TS MUST): each side builds a tree over the items and tombstones whose owners include both
 * nodes, with leaves = key-hash buckets (the spec's "TS MAY bucket by key hash", so one missing
 * key does not shift every later leaf). Differing buckets are listed with their stamps; every
 * remote stamp newer than the local one is pulled — a tombstone is applied as a tombstone, an
 * item fetched and applied through the version compare. Absence on the peer is never read as a
 * delete (no inferred deletes), so a key the peer does not own cannot be lost.
 */
export class AntiEntropy {
  readonly #d: AntiEntropyDeps;
  readonly #intervalMs: number;
  readonly #peersPerTick: number;
  readonly #chunkSize: number;
  readonly #loop: BackgroundLoop | undefined;
  #cursor = 0;
  #catchUpTicks = 0;

  constructor(deps: AntiEntropyDeps, o: AntiEntropyOptions = {}) {
    this.#d = deps;
    this.#intervalMs = o.intervalMs ?? 0;
    this.#peersPerTick = o.peersPerTick ?? 2;
    this.#chunkSize = o.chunkSize ?? 128;
    if (!Number.isSafeInteger(this.#peersPerTick) || this.#peersPerTick < 0) throw new TypeError(`peersPerTick must be a non-negative integer, got ${this.#peersPerTick}`);
    if (!Number.isSafeInteger(this.#chunkSize) || this.#chunkSize < 1) throw new TypeError(`chunkSize must be a positive integer, got ${this.#chunkSize}`);
    if (!Number.isFinite(this.#intervalMs)) throw new TypeError(`intervalMs must be a finite number of ms, got ${this.#intervalMs}`);
    this.#loop =
      this.#intervalMs > 0
        ? new BackgroundLoop({ name: 'anti-entropy', delayMs: () => this.#nextDelayMs(), timers: deps.timers, tick: () => this.tick(), onError: (e) => this.#d.onError?.(e, 'anti-entropy') })
        : undefined;
  }

  /**
   * Starts auto-sync (when the interval > 0) in catch-up mode: a booting node may be a restarted
   * one that came back empty, so it first syncs with every peer each second for a few ticks.
   */
  start(): void {
    if (this.#loop === undefined || this.#loop.isRunning) return;
    this.requestCatchUp();
    this.#loop.start();
  }

  /**
   * The next `ticks` auto-sync ticks sync with every alive peer, at most 1 s apart. Called at boot
   * and when membership says this node missed something (it refuted a suspicion, or a peer
   * rejoined after being dead or pruned).
   */
  requestCatchUp(ticks = CATCH_UP_TICKS): void {
    this.#catchUpTicks = Math.max(this.#catchUpTicks, ticks);
  }

  /** True while catch-up ticks remain. */
  get isCatchingUp(): boolean {
    return this.#catchUpTicks > 0;
  }

  #nextDelayMs(): number {
    return this.#catchUpTicks > 0 ? Math.min(this.#intervalMs, CATCH_UP_INTERVAL_MS) : this.#intervalMs;
  }

  /** Stops auto-sync; idempotent. */
  stop(): void {
    this.#loop?.stop();
  }

  /** One auto-sync tick: up to `peersPerTick` peers (rotating), synced concurrently. */
  async tick(): Promise<void> {
    const started = process.hrtime.bigint();
    const m = this.#d.metrics;
    m.AutoSyncLoops++;
    const all = this.#d.syncPeers().filter((id) => id !== this.#d.nodeId);
    let peers = all;
    const catchingUp = this.#catchUpTicks > 0;
    if (catchingUp) this.#catchUpTicks--;
    if (!catchingUp && this.#peersPerTick > 0 && all.length > this.#peersPerTick) {
      peers = [];
      for (let i = 0; i < this.#peersPerTick; i++) peers.push(all[(this.#cursor + i) % all.length]);
      this.#cursor = (this.#cursor + this.#peersPerTick) % all.length;
    }
    const results = await Promise.allSettled(peers.map((p) => this.syncWith(p)));
    const errors = results.filter((r) => r.status === 'rejected');
    m.LastAutoSyncError = errors.length > 0 ? String((errors[0] as PromiseRejectedResult).reason?.message ?? errors[0]) : '';
    if (peers.length > 0 && errors.length === 0 && results.every((r) => r.status === 'fulfilled' && r.value.clean)) m.AutoSyncCleanTicks++;
    m.AutoSyncBackoffFactor = 1;
    m.LastAutoSyncNanos = Number(process.hrtime.bigint() - started);
    for (const e of errors) this.#d.onError?.((e as PromiseRejectedResult).reason, 'merkle auto-sync');
  }

  /** Syncs with one peer (pull). Rejects when the peer could not be reached. */
  async syncWith(peerId: string): Promise<SyncResult> {
    const m = this.#d.metrics;
    let t = process.hrtime.bigint();
    const shared = this.sharedEntries(peerId);
    const buckets = bucketCountFor(shared.length, this.#chunkSize);
    const remote = await this.#d.peers.tree(peerId, buckets);
    m.MerkleFetchNanos = Number(process.hrtime.bigint() - t);
    t = process.hrtime.bigint();
    const local = this.buildTree(peerId, buckets, shared);
    m.MerkleBuildNanos = Number(process.hrtime.bigint() - t);
    t = process.hrtime.bigint();
    const differing = diffLeaves(local, remote, buckets);
    m.MerkleDiffNanos = Number(process.hrtime.bigint() - t);
    if (differing.length === 0) return { clean: true, differingBuckets: 0, pulled: 0 };
    m.MerkleSyncs++;
    let pulled = 0;
    for (let i = 0; i < differing.length; i += BUCKETS_PER_REQUEST) {
      const entries = await this.#d.peers.entries(peerId, buckets, differing.slice(i, i + BUCKETS_PER_REQUEST));
      for (const e of entries) {
        if (await this.#adopt(peerId, e)) pulled++;
      }
    }
    m.MerkleKeysPulled += pulled;
    return { clean: false, differingBuckets: differing.length, pulled };
  }

  async #adopt(peerId: string, e: SyncEntry): Promise<boolean> {
    if (!isEntry(e)) return false;
    const owners = this.#d.ownership().ownersOf(e.key);
    if (!owners.includes(this.#d.nodeId)) return false;
    const mine = this.#d.dist.localStamp(e.key);
    if (mine !== undefined && compareStamps(e, mine) <= 0) return false;
    if (e.tombstone) {
      this.#d.dist.applyTombstone(e.key, { version: e.version, origin: e.origin });
      return true;
    }
    let item: DistItem | undefined;
    try {
      item = await this.#d.peers.get(peerId, e.key);
    } catch {
      return false; // transport error → skip (§11)
    }
    return item !== undefined && this.#d.dist.applyIfNewer(item);
  }

  /** Local stamps of the keys this node and `peerId` both own (items and tombstones). */
  sharedEntries(peerId: string): SyncEntry[] {
    const ring = this.#d.ownership();
    const out: SyncEntry[] = [];
    for (const key of this.#d.dist.stampedKeys()) {
      const owners = ring.ownersOf(key);
      if (!owners.includes(this.#d.nodeId) || !owners.includes(peerId)) continue;
      const s = this.#d.dist.localStamp(key);
      if (s !== undefined) out.push({ key, version: s.version, origin: s.origin, tombstone: s.tombstone });
    }
    return out;
  }

  /** The per-peer tree this node serves on `GET /internal/merkle?peer=&buckets=`. */
  buildTree(peerId: string, buckets: number, shared: readonly SyncEntry[] = this.sharedEntries(peerId)): SyncTree {
    checkBuckets(buckets);
    const byBucket = bucketize(shared, buckets);
    const leaves: Buffer[] = byBucket.map((entries): Buffer => {
      entries.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
      const h = createHash('sha256');
      const v = Buffer.alloc(8);
      for (const e of entries) {
        h.update(e.key, 'utf8');
        v.writeBigUInt64BE(BigInt(e.version));
        h.update(v);
        h.update(e.origin, 'utf8');
        h.update(e.tombstone ? 'T' : 'I');
      }
      return h.digest();
    });
    let level: Buffer[] = leaves;
    while (level.length > 1) {
      const next: Buffer[] = [];
      for (let i = 0; i < level.length; i += 2) {
        next.push(i + 1 < level.length ? createHash('sha256').update(level[i]).update(level[i + 1]).digest() : level[i]);
      }
      level = next;
    }
    return { root: level[0].toString('base64'), leaf_hashes: leaves.map((l) => l.toString('base64')), chunk_size: this.#chunkSize, buckets };
  }

  /** The stamps this node serves on `GET /internal/merkle/entries` for the listed buckets. */
  entriesIn(peerId: string, buckets: number, indexes: readonly number[]): SyncEntry[] {
    checkBuckets(buckets);
    const byBucket = bucketize(this.sharedEntries(peerId), buckets);
    const out: SyncEntry[] = [];
    for (const i of new Set(indexes)) {
      if (Number.isInteger(i) && i >= 0 && i < buckets) out.push(...byBucket[i]);
    }
    return out;
  }

}

function bucketize(entries: readonly SyncEntry[], buckets: number): SyncEntry[][] {
  const byBucket: SyncEntry[][] = Array.from({ length: buckets }, () => []);
  for (const e of entries) byBucket[(fnv1a32(e.key) >>> 0) % buckets].push(e);
  return byBucket;
}

/** Next power of two ≥ entries / chunkSize, in [1, 4096]. */
export function bucketCountFor(entries: number, chunkSize: number): number {
  let b = 1;
  while (b < MAX_BUCKETS && b * chunkSize < entries) b *= 2;
  return b;
}

function checkBuckets(buckets: number): void {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) throw new RangeError(`buckets must be an integer in 1..${MAX_BUCKETS}, got ${buckets}`);
}

function diffLeaves(local: SyncTree, remote: SyncTree, buckets: number): number[] {
  if (local.root !== null && local.root === remote.root) return [];
  const l = local.leaf_hashes ?? [];
  const r = remote.leaf_hashes ?? [];
  if (r.length !== buckets) return Array.from({ length: buckets }, (_, i) => i);
  const out: number[] = [];
  for (let i = 0; i < buckets; i++) if (l[i] !== r[i]) out.push(i);
  return out;
}

function isEntry(e: unknown): e is SyncEntry {
  const x = e as SyncEntry;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.key === 'string' &&
    x.key !== '' &&
    Number.isSafeInteger(x.version) &&
    x.version > 0 &&
    typeof x.origin === 'string' &&
    typeof x.tombstone === 'boolean'
  );
}
