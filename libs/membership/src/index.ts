// Public API of @hypercache/membership (spec: dist-protocol.md §2, §3, §14; management-api.md §6).
// Anything not listed here is internal.
export {
  InvalidMemberError,
  InvalidMembershipOptionError,
  InvalidSeedError,
  LocalMemberError,
  MEMBERSHIP_ERROR_CODES,
  MembershipError,
} from './errors';
export type { MembershipErrorCode } from './errors';
export { HashRing } from './hash-ring';
export type { RingVnode } from './hash-ring';
export { DEFAULT_REPLICATION, DEFAULT_VIRTUAL_NODES, MAX_VIRTUAL_NODES, resolveRingOptions } from './hash-ring-options';
export type { ResolvedRingOptions, RingOptions } from './hash-ring-options';
export { MemberState, parseMemberState, stateSeverity } from './member';
export type { GossipMember, Member, MemberSnapshot } from './member';
export { MembershipChangeKind, MergeOutcome } from './membership-change';
export type { MembershipChange } from './membership-change';
export { MembershipTable, validateGossipMember } from './membership-table';
export { FailureDetector } from './failure-detector';
export type { DetectorTimers, FailureDetectorDeps, FailureDetectorMetrics, SwimTransport } from './failure-detector';
export { resolveFailureDetectorOptions } from './failure-detector-options';
export type { FailureDetectorOptions, ResolvedFailureDetectorOptions } from './failure-detector-options';
export type { MemberUpsert, MembershipListener } from './membership-table';
export { resolveMembershipTableOptions } from './membership-table-options';
export type { MemberIdentity, MembershipTableOptions, ResolvedMembershipTableOptions } from './membership-table-options';
export { KEY_OWNERSHIP } from './membership.tokens';
export { RingTopology } from './ring-topology';
export { JoinEvidence, SeedJoinTracker } from './seed-join-tracker';
export type { SeedJoinTrackerOptions } from './seed-join-tracker';
export { deriveNodeId, parseSeeds } from './seeds';
export type { ParsedSeed, SeedSelf } from './seeds';
export type { KeyOwnership } from './key-ownership';
export { formatHash64, loadXxhash64 } from './xxhash64';
export type { Xxhash64 } from './xxhash64';
