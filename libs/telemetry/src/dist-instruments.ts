/**
 * A numeric field of the `/dist/metrics` snapshot (the one string field, `LastAutoSyncError`,
 * has no instrument). The core's metrics spec pins that every field named here exists.
 */
export type DistMetricField = string;

/** One `dist.*` instrument: OpenTelemetry name, its `/dist/metrics` field, kind and UCUM unit. */
export interface DistInstrument {
  readonly name: string;
  readonly field: DistMetricField;
  /** `counter` = cumulative (Prometheus `_total`), `gauge` = current value. */
  readonly kind: 'counter' | 'gauge';
  readonly unit: string;
  readonly description: string;
}

const c = (name: string, field: DistMetricField, unit: string, description: string): DistInstrument => ({ name, field, kind: 'counter', unit, description });
const g = (name: string, field: DistMetricField, unit: string, description: string): DistInstrument => ({ name, field, kind: 'gauge', unit, description });

/**
 * Every `dist.*` instrument of dist-protocol.md §16, with the registered names (e.g.
 * `dist.read.repair.batched`, not the changelog's `dist.read_repair.batched`). All are observed
 * from one snapshot per collection.
 */
export const DIST_INSTRUMENTS: readonly DistInstrument[] = [
  c('dist.forward.get', 'ForwardGet', '{op}', 'gets forwarded to a remote owner'),
  c('dist.forward.set', 'ForwardSet', '{op}', 'sets forwarded to a remote primary'),
  c('dist.forward.remove', 'ForwardRemove', '{op}', 'removes forwarded to a remote primary'),
  c('dist.replica.fanout.set', 'ReplicaFanoutSet', '{op}', 'replica set fan-out attempts'),
  c('dist.replica.fanout.remove', 'ReplicaFanoutRemove', '{op}', 'replica remove fan-out attempts'),
  c('dist.read.repair', 'ReadRepair', '{op}', 'read-repair operations (sync or enqueued)'),
  c('dist.read.repair.batched', 'ReadRepairBatched', '{op}', 'repairs dispatched by the batch flusher'),
  c('dist.read.repair.coalesced', 'ReadRepairCoalesced', '{op}', 'repairs collapsed by the batch queue'),
  c('dist.replica.get.miss', 'ReplicaGetMiss', '{op}', 'replica miss for a key the primary holds'),
  c('dist.read.primary_promote', 'ReadPrimaryPromote', '{op}', 'reads served by a non-primary owner'),
  c('dist.heartbeat.success', 'HeartbeatSuccess', '{probe}', 'direct heartbeat probes that succeeded'),
  c('dist.heartbeat.failure', 'HeartbeatFailure', '{probe}', 'direct heartbeat probes that failed'),
  c('dist.heartbeat.indirect_probe.success', 'IndirectProbeSuccess', '{probe}', 'indirect probes that reached the target'),
  c('dist.heartbeat.indirect_probe.failure', 'IndirectProbeFailure', '{probe}', 'indirect probe relays that failed'),
  c('dist.heartbeat.indirect_probe.refuted', 'IndirectProbeRefuted', '{probe}', 'suspicions refuted by an indirect probe'),
  c('dist.drains', 'Drains', '{transition}', 'drain transitions (0 or 1)'),
  c('dist.nodes.suspect', 'NodesSuspect', '{transition}', 'peers marked suspect'),
  c('dist.nodes.dead', 'NodesDead', '{transition}', 'peers marked dead'),
  c('dist.nodes.removed', 'NodesRemoved', '{transition}', 'peers pruned from membership'),
  c('dist.version.conflicts', 'VersionConflicts', '{resolution}', 'newer-wins replacements'),
  c('dist.version.tie_breaks', 'VersionTieBreaks', '{resolution}', 'origin tie-breaks at equal versions'),
  c('dist.hinted.queued', 'HintedQueued', '{hint}', 'hints queued'),
  c('dist.hinted.replayed', 'HintedReplayed', '{hint}', 'hints replayed'),
  c('dist.hinted.expired', 'HintedExpired', '{hint}', 'hints expired before replay'),
  c('dist.hinted.dropped', 'HintedDropped', '{hint}', 'deprecated, never incremented'),
  c('dist.hinted.global_dropped', 'HintedGlobalDropped', '{hint}', 'hints rejected by global caps'),
  g('dist.hinted.bytes', 'HintedBytes', 'By', 'approximate queued hint bytes'),
  c('dist.migration.queued', 'MigrationHintQueued', '{hint}', 'migration hints queued'),
  c('dist.migration.replayed', 'MigrationHintReplayed', '{hint}', 'migration hints replayed'),
  c('dist.migration.expired', 'MigrationHintExpired', '{hint}', 'migration hints expired'),
  c('dist.migration.dropped', 'MigrationHintDropped', '{hint}', 'migration hints dropped'),
  g('dist.migration.last_age_ns', 'MigrationHintLastAgeNanos', 'ns', 'queue residency of the last replayed migration hint'),
  c('dist.merkle.syncs', 'MerkleSyncs', '{sync}', 'dirty Merkle syncs'),
  c('dist.merkle.keys_pulled', 'MerkleKeysPulled', '{key}', 'keys discovered/applied by sync'),
  g('dist.merkle.last_build_ns', 'MerkleBuildNanos', 'ns', 'last Merkle build duration'),
  g('dist.merkle.last_diff_ns', 'MerkleDiffNanos', 'ns', 'last Merkle diff duration'),
  g('dist.merkle.last_fetch_ns', 'MerkleFetchNanos', 'ns', 'last Merkle fetch duration'),
  c('dist.auto_sync.loops', 'AutoSyncLoops', '{tick}', 'auto-sync ticks'),
  g('dist.auto_sync.last_ns', 'LastAutoSyncNanos', 'ns', 'last auto-sync tick duration'),
  c('dist.auto_sync.clean_ticks', 'AutoSyncCleanTicks', '{tick}', 'auto-sync ticks that found nothing to do'),
  g('dist.auto_sync.backoff_factor', 'AutoSyncBackoffFactor', '1', 'current auto-sync backoff multiplier'),
  c('dist.chaos.drops', 'ChaosDrops', '{event}', 'fault-injection drops (tests only)'),
  c('dist.chaos.latencies', 'ChaosLatencies', '{event}', 'fault-injection delays (tests only)'),
  g('dist.tombstones.active', 'TombstonesActive', '{tombstone}', 'tombstones held'),
  c('dist.tombstones.purged', 'TombstonesPurged', '{tombstone}', 'tombstones swept'),
  c('dist.write.attempts', 'WriteAttempts', '{op}', 'client writes attempted'),
  c('dist.write.acks', 'WriteAcks', '{ack}', 'owner acknowledgements of coordinated writes'),
  c('dist.write.quorum_failures', 'WriteQuorumFailures', '{op}', 'writes below the write consistency'),
  c('dist.write.forward_promotion', 'WriteForwardPromotion', '{op}', 'set/remove promotions after primary failure'),
  c('dist.write.apply_refused', 'WriteApplyRefused', '{op}', 'forwarded writes dropped by the ownership guard'),
  c('dist.rebalance.keys', 'RebalancedKeys', '{key}', 'keys moved by rebalancing'),
  c('dist.rebalance.batches', 'RebalanceBatches', '{batch}', 'rebalance batches'),
  c('dist.rebalance.throttle', 'RebalanceThrottle', '{event}', 'rebalance batches that had to wait'),
  c('dist.rebalance.primary', 'RebalancedPrimary', '{key}', 'keys migrated to a new primary'),
  c('dist.rebalance.replica_diff', 'RebalancedReplicaDiff', '{key}', 'keys pushed to newly added replicas'),
  c('dist.rebalance.replica_diff_throttle', 'RebalanceReplicaDiffThrottle', '{event}', 'replica-diff ticks capped'),
  g('dist.rebalance.last_ns', 'RebalanceLastNanos', 'ns', 'last rebalance scan duration'),
  g('dist.members.alive', 'MembersAlive', '{node}', 'members alive'),
  g('dist.members.suspect', 'MembersSuspect', '{node}', 'members suspect'),
  g('dist.members.dead', 'MembersDead', '{node}', 'members dead'),
  g('dist.membership.version', 'MembershipVersion', '{version}', 'membership version'),
];
