import { Consistency } from './version-order';

/** Options of the distributed cache (config.md B.4; binary defaults in the comments). */
export interface DistributedCacheOptions {
  /** Read consistency (binary: ONE). */
  readConsistency?: Consistency;
  /** Write consistency (binary: QUORUM). */
  writeConsistency?: Consistency;
  /** Hint lifetime, ms (binary 30 s); ≤ 0 disables hinted handoff. */
  hintTtlMs?: number;
  /** Hint replay tick, ms (binary 200 ms); ≤ 0 disables the replay loop. */
  hintReplayIntervalMs?: number;
  /** Hint caps; 0 = unlimited. */
  hintMaxPerNode?: number;
  hintMaxTotal?: number;
  hintMaxBytes?: number;
  /** Tombstone lifetime, ms (TS binary default 24 h); ≤ 0 keeps tombstones forever. */
  tombstoneTtlMs?: number;
  /** Tombstone sweep tick, ms (TS binary default 1 min); ≤ 0 disables sweeping. */
  tombstoneSweepIntervalMs?: number;
  /**
   * Configured replication factor (`HYPERCACHE_REPLICATION`). QUORUM/ALL acks are computed from
   * `min(replication, known members)`, never from a ring that shrank because peers were marked
   * dead (docs/decisions.md F1). 0 (default) = the key's current owner count (upstream).
   */
  replication?: number;
  /**
   * Upstream's sloppy behaviour (`HYPERCACHE_SLOPPY_QUORUM=true`): required acks from the current
   * ring's owners and no majority check, so a cut-off node may acknowledge writes alone.
   * Default false.
   */
  sloppyQuorum?: boolean;
  /**
   * How recent (ms) an answer from a suspected member to one of this node's calls must be for the
   * suspect to count as reachable in the QUORUM/ALL majority check (docs/decisions.md F1).
   * Default 0: suspects never count. The server passes 3 heartbeats.
   */
  reachEvidenceMs?: number;
  /**
   * Forward hedging (docs/decisions.md F10): a forward (a write or delete sent to the key's
   * primary to coordinate) carries a deadline this many ms after it is sent (plus 1 ms per 2 KiB of
   * value); the receiver refuses it once the deadline passed (`503 FORWARD_EXPIRED`), so it can
   * never run late. A forward without an answer 100 ms after its deadline is left running and the
   * next owner is asked; the last owner is always awaited. Default 0: no deadline, each forward
   * waits for its answer or the peer timeout (upstream). The server passes 250.
   */
  forwardHedgeMs?: number;
  /**
   * Who coordinates a write or delete of a key (docs/decisions.md F15). `primary` (default,
   * upstream): the ring's first owner; any other node forwards to it, so one node's clock issues
   * every version of a key. `owner`: a node that owns the key coordinates it itself (non-owners
   * still forward); a replicated write then needs no forward and fewer, larger peer batches, but
   * two owners may version writes of one key from their own clocks, so with clock skew a write
   * acknowledged later can lose to an earlier one written through another owner.
   */
  writeCoordinator?: 'primary' | 'owner';
}

export type ResolvedDistributedCacheOptions = Required<DistributedCacheOptions>;

const LEVELS = Object.values(Consistency) as string[];

/** Fills defaults in one place and rejects nonsense by naming the option. */
export function resolveDistributedCacheOptions(o: DistributedCacheOptions = {}): ResolvedDistributedCacheOptions {
  const r: ResolvedDistributedCacheOptions = {
    readConsistency: o.readConsistency ?? 'ONE',
    writeConsistency: o.writeConsistency ?? 'QUORUM',
    hintTtlMs: o.hintTtlMs ?? 30_000,
    hintReplayIntervalMs: o.hintReplayIntervalMs ?? 200,
    hintMaxPerNode: o.hintMaxPerNode ?? 0,
    hintMaxTotal: o.hintMaxTotal ?? 0,
    hintMaxBytes: o.hintMaxBytes ?? 0,
    tombstoneTtlMs: o.tombstoneTtlMs ?? 24 * 3_600_000,
    tombstoneSweepIntervalMs: o.tombstoneSweepIntervalMs ?? 60_000,
    replication: o.replication ?? 0,
    sloppyQuorum: o.sloppyQuorum ?? false,
    reachEvidenceMs: o.reachEvidenceMs ?? 0,
    forwardHedgeMs: o.forwardHedgeMs ?? 0,
    writeCoordinator: o.writeCoordinator ?? 'owner',
  };
  if (r.writeCoordinator !== 'primary' && r.writeCoordinator !== 'owner') throw new TypeError(`writeCoordinator must be primary or owner, got ${String(r.writeCoordinator)}`);
  if (!Number.isSafeInteger(r.replication) || r.replication < 0) throw new TypeError(`replication must be a non-negative integer, got ${r.replication}`);
  if (!Number.isSafeInteger(r.reachEvidenceMs) || r.reachEvidenceMs < 0) throw new TypeError(`reachEvidenceMs must be a non-negative integer, got ${r.reachEvidenceMs}`);
  if (!Number.isSafeInteger(r.forwardHedgeMs) || r.forwardHedgeMs < 0) throw new TypeError(`forwardHedgeMs must be a non-negative integer, got ${r.forwardHedgeMs}`);
  if (typeof r.sloppyQuorum !== 'boolean') throw new TypeError(`sloppyQuorum must be a boolean, got ${String(r.sloppyQuorum)}`);
  for (const k of ['readConsistency', 'writeConsistency'] as const) {
    if (!LEVELS.includes(r[k])) throw new TypeError(`${k} must be one of ${LEVELS.join(', ')}, got ${r[k]}`);
  }
  for (const k of ['hintTtlMs', 'hintReplayIntervalMs', 'tombstoneTtlMs', 'tombstoneSweepIntervalMs'] as const) {
    if (!Number.isFinite(r[k])) throw new TypeError(`${k} must be a finite number of ms, got ${r[k]}`);
  }
  return r;
}
