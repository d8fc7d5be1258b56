export { buildNode } from './build-node';
export type { BuildNodeOptions, HyperNode, NodeListener, NodeListeners } from './build-node';
export type { ClusterParts } from './build-cluster';
export { ClusterEventBus, ClusterEventType } from './cluster-event-bus';
export type { KeyPageView, KeyQuery, NodeCache, NodeConfigView, NodeItem, NodeMaintenance, NodeStats, NodeWrite, NodeWriteResult } from './node-cache';
export { NodeMetrics } from './node-metrics';
export { NodeState } from './node-state';
export { NODE_CACHE } from './node.tokens';
export { installInboundIsolation, PeerFaultSwitch } from './peer-faults';
