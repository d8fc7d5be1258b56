// Public API of @hypercache/distributed (dist-protocol.md). Only what other parts import is
// exported (AntiEntropyPeers, PeerKeyLister: the node core's adapters); anything else is internal.
// The in-process test cluster is on `@hypercache/distributed/testing`.
export { DistChannelName } from './dist-channels';
export type { DistOpMessage, PeerCallMessage } from './dist-channels';
export { DistMetrics } from './dist-metrics';
export { DistributedCache } from './distributed-cache';
export type { WriteOutcome } from './distributed-cache';
export { ForwardExpiredError, ItemRefusedError, QuorumFailedError, StaleVersionError } from './errors';
export type { MembershipView } from './write-quorum';
export { compileKeyPattern, InvalidGlobError } from './key-pattern';
export type { DistItem } from './local-store';
export { LocalChangeKind } from './local-change';
export type { LocalChangeListener } from './local-change';
export { buildMerkleSnapshot } from './merkle-tree';
export type { PeerClient } from './peer-client';
export { TransportPeerClient } from './transport-peer-client';
export { EngineLocalStore } from './engine-local-store';
export { AntiEntropy } from './anti-entropy';
export type { AntiEntropyPeers } from './anti-entropy';
export { Rebalancer } from './rebalancer';
export { KeyBrowser } from './key-browser';
export type { KeyPage, PeerKeyLister } from './key-browser';
