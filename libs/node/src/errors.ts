/**
 * A cluster-only route or view (`/cluster/*`, `/dist/metrics`, the topology stream) asked of a
 * stateless node over Redis, which has no membership, ring or peer layer (docs/decisions.md B20).
 * Wire code `NOT_CLUSTERED` (HTTP 501).
 */
export class NotClusteredError extends Error {
  readonly code = 'NOT_CLUSTERED';
  constructor(readonly what: string) {
    super(`${what} is not available: this node runs over Redis (HYPERCACHE_BACKEND), without a cluster`);
    this.name = new.target.name;
  }
}
