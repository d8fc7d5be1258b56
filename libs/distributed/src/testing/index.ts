// Test-only entry of @hypercache/distributed (`@hypercache/distributed/testing`): never imported by
// production code and excluded from the build (scripts/build.mjs skips `testing/` directories).
export { inProcessCluster, keyOwnedBy } from './cluster-fixture';
export { InProcessCluster, NodeDownError, type ClusterNode } from './in-process-cluster';
