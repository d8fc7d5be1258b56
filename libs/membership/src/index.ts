// Public API of @hypercache/membership (spec: dist-protocol.md §2, §3, §14; management-api.md §6).
// Only what other parts import is exported (MemberIdentity: the node core's seeds); anything else
// is internal. The XXH64 hasher lives in @hypercache/hashing.
export { HashRing, ownersByVnode, ringStartIndex } from './hash-ring';
export { MemberState } from './member';
export type { MemberSnapshot } from './member';
export { MembershipTable } from './membership-table';
export type { MemberIdentity } from './membership-table-options';
export { FailureDetector } from './failure-detector';
export type { SwimTransport } from './failure-detector';
export { KEY_OWNERSHIP } from './membership.tokens';
export type { KeyOwnership } from './key-ownership';
export { RingTopology } from './ring-topology';
export { SeedJoinTracker } from './seed-join-tracker';
export { parseSeeds } from './seeds';
