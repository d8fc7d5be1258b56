// @hypercache/client/hybrid: the cluster as L2 and backplane of @hypercache/hybrid-cache (a peer
// dependency of this subpath only), and the near-cache helper (issue 17).
export { ClusterL2, type ClusterL2Options } from './cluster-l2';
export { ClusterBackplane, CLUSTER_SOURCE_ID, type ClusterBackplaneOptions } from './cluster-backplane';
export { NearCacheL1, type NearCacheL1Options } from './near-cache-l1';
export { createNearCache, type NearCache, type NearCacheOptions } from './near-cache';
