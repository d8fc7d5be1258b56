import { InvalidMembershipOptionError } from './errors';

/**
 * Options of {@link FailureDetector} (dist-protocol.md §14, config.md A.2). Every duration is in
 * ms; the binary derives them from `HYPERCACHE_HEARTBEAT` (H), `HYPERCACHE_INDIRECT_PROBE_K` and
 * `HYPERCACHE_GOSSIP_INTERVAL`.
 */
export interface FailureDetectorOptions {
  /** Heartbeat interval H; 0 disables probing (and therefore suspicion and pruning). */
  heartbeatIntervalMs: number;
  /** No contact for longer than this → suspect. Default 3H; 0 disables that transition. */
  suspectAfterMs?: number;
  /** No contact for longer than this → dead (off the ring). Default 6H; 0 disables. */
  deadAfterMs?: number;
  /**
   * No contact for longer than this → removed from the table (`dist.nodes.removed`). Default
   * `deadAfterMs + H`: a dead claim is kept (and gossiped) for one more interval before pruning.
   */
  removeAfterMs?: number;
  /** Direct probe timeout. Default H/2. */
  probeTimeoutMs?: number;
  /** Relays asked per failed direct probe; 0 disables indirect probes. Default 2. */
  indirectProbeK?: number;
  /** Per-relay timeout of an indirect probe. Default H/2. */
  indirectProbeTimeoutMs?: number;
  /** Gossip interval; 0 disables gossip. Default 1 s. */
  gossipIntervalMs?: number;
  /** Random subset of peers probed per tick; 0 = all (upstream `WithDistHeartbeatSample`). Default 0. */
  heartbeatSample?: number;
}

export type ResolvedFailureDetectorOptions = Required<FailureDetectorOptions>;

/** Fills defaults (3H / 6H / 6H+H / H/2 / k=2 / 1 s) and rejects nonsense by naming the option. */
export function resolveFailureDetectorOptions(o: FailureDetectorOptions): ResolvedFailureDetectorOptions {
  const h = o?.heartbeatIntervalMs;
  checkMs('heartbeatIntervalMs', h);
  const half = Math.max(1, Math.floor(h / 2));
  const r: ResolvedFailureDetectorOptions = {
    heartbeatIntervalMs: h,
    suspectAfterMs: o.suspectAfterMs ?? 3 * h,
    deadAfterMs: o.deadAfterMs ?? 6 * h,
    removeAfterMs: o.removeAfterMs ?? (o.deadAfterMs ?? 6 * h) + h,
    probeTimeoutMs: o.probeTimeoutMs ?? half,
    indirectProbeK: o.indirectProbeK ?? 2,
    indirectProbeTimeoutMs: o.indirectProbeTimeoutMs ?? half,
    gossipIntervalMs: o.gossipIntervalMs ?? 1_000,
    heartbeatSample: o.heartbeatSample ?? 0,
  };
  for (const k of ['suspectAfterMs', 'deadAfterMs', 'removeAfterMs', 'gossipIntervalMs'] as const) checkMs(k, r[k]);
  for (const k of ['probeTimeoutMs', 'indirectProbeTimeoutMs'] as const) {
    if (!Number.isSafeInteger(r[k]) || r[k] < 1) throw new InvalidMembershipOptionError(k, r[k], 'a positive integer of ms');
  }
  if (!Number.isSafeInteger(r.indirectProbeK) || r.indirectProbeK < 0) {
    throw new InvalidMembershipOptionError('indirectProbeK', r.indirectProbeK, 'a non-negative integer');
  }
  if (!Number.isSafeInteger(r.heartbeatSample) || r.heartbeatSample < 0) {
    throw new InvalidMembershipOptionError('heartbeatSample', r.heartbeatSample, 'a non-negative integer');
  }
  if (r.removeAfterMs > 0 && r.deadAfterMs > 0 && r.removeAfterMs < r.deadAfterMs) {
    throw new InvalidMembershipOptionError('removeAfterMs', r.removeAfterMs, `at least deadAfterMs (${r.deadAfterMs})`);
  }
  return r;
}

function checkMs(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InvalidMembershipOptionError(name, v, 'a non-negative integer of ms');
}
