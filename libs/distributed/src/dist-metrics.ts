/**
 * Cumulative counters and gauges of the distributed layer, with the exact PascalCase names of
 * `/dist/metrics` (management-api.md §5); the OpenTelemetry `dist.*` names map onto these
 * (dist-protocol.md §16). Plain number fields: incrementing one is the whole per-op cost.
 */
export class DistMetrics {
  ForwardGet = 0;
  ForwardSet = 0;
  ForwardRemove = 0;
  ReplicaFanoutSet = 0;
  ReplicaFanoutRemove = 0;
  ReadRepair = 0;
  ReadRepairBatched = 0;
  ReadRepairCoalesced = 0;
  ReplicaGetMiss = 0;
  HeartbeatSuccess = 0;
  HeartbeatFailure = 0;
  IndirectProbeSuccess = 0;
  IndirectProbeFailure = 0;
  IndirectProbeRefuted = 0;
  Drains = 0;
  NodesSuspect = 0;
  NodesDead = 0;
  NodesRemoved = 0;
  VersionConflicts = 0;
  VersionTieBreaks = 0;
  ReadPrimaryPromote = 0;
  HintedQueued = 0;
  HintedReplayed = 0;
  HintedExpired = 0;
  /** Deprecated upstream: kept for wire stability, never incremented. */
  HintedDropped = 0;
  HintedGlobalDropped = 0;
  /** Gauge: approximate bytes held in the hint queue. */
  HintedBytes = 0;
  MigrationHintQueued = 0;
  MigrationHintReplayed = 0;
  MigrationHintExpired = 0;
  MigrationHintDropped = 0;
  /** Gauge, ns. */
  MigrationHintLastAgeNanos = 0;
  MerkleSyncs = 0;
  MerkleKeysPulled = 0;
  MerkleBuildNanos = 0;
  MerkleDiffNanos = 0;
  MerkleFetchNanos = 0;
  AutoSyncLoops = 0;
  LastAutoSyncNanos = 0;
  LastAutoSyncError = '';
  AutoSyncCleanTicks = 0;
  AutoSyncBackoffFactor = 0;
  ChaosDrops = 0;
  ChaosLatencies = 0;
  /** Gauge. */
  TombstonesActive = 0;
  TombstonesPurged = 0;
  WriteQuorumFailures = 0;
  WriteAcks = 0;
  WriteAttempts = 0;
  WriteForwardPromotion = 0;
  WriteApplyRefused = 0;
  RebalancedKeys = 0;
  RebalanceBatches = 0;
  RebalanceThrottle = 0;
  RebalanceLastNanos = 0;
  RebalancedReplicaDiff = 0;
  RebalanceReplicaDiffThrottle = 0;
  RebalancedPrimary = 0;
  MembershipVersion = 0;
  MembersAlive = 0;
  MembersSuspect = 0;
  MembersDead = 0;

  /** A plain-object copy for `/dist/metrics`. */
  snapshot(): Record<string, number | string> {
    return { ...(this as unknown as Record<string, number | string>) };
  }
}
