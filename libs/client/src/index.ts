// Public API of @hypercache/client (client-api.md; issue 17). Anything not exported here is internal.
// The near-cache adapters live on the `/hybrid` subpath, the Nest module on `/nest`.
export { HypercacheClient, type PutOptions } from './hypercache-client';
export {
  resolveClientOptions,
  RoutingMode,
  type HypercacheClientOptions,
  type ResolvedClientOptions,
  type ClientTlsOptions,
  type ClientTimers,
  type TokenProvider,
  type ProvidedToken,
} from './client-options';
export type { CallOptions } from './router';
export { OperationKind, FailureKind, RetryPolicy, classifyFailure, resolveRetryOptions, type RetryOptions, type ResolvedRetryOptions } from './retry-policy';
export { ClusterEvents, type ClusterEvent, type ClusterEventsOptions } from './cluster-events';
export type { KeyChange, LossReason } from './node-event-stream';
export { SseParser, type SseFrame } from './sse-parser';
export { SingleFlight } from './single-flight';
export { RingView, parseTopology, type Topology, type TopologyMember } from './topology';
export type {
  PutResult,
  DeleteResult,
  CacheItem,
  ItemMeta,
  BatchGetItem,
  BatchPutItem,
  BatchPutResult,
  BatchDeleteResult,
  OwnersResult,
  Identity,
  Capability,
  KeyBrowseOptions,
  KeyPage,
} from './wire-types';
export {
  HypercacheError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  DrainingError,
  InternalError,
  TimeoutError,
  AbortedError,
  UnavailableError,
  ProtocolError,
  InvalidClientOptionError,
  errorFromResponse,
} from './errors';
