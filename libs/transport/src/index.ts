// Public API of @hypercache/transport (dist-protocol.md §17): how one node calls another node's
// dist listener. Anything not exported here is internal. Test-only helpers (fault injection, a
// fake peer server, test certificates) live in ./testing and are not part of this entry.
export { PeerOp, type PeerAddress, type PeerTransport, type HealthCallOptions } from './peer-transport';
export {
  TransportErrorCode,
  TransportError,
  PeerCallError,
  MalformedWireError,
  InvalidOptionError,
  InvalidPeerAddressError,
  PeerUnreachableError,
  PeerNotFoundError,
  PeerStatusError,
  PeerResponseTooLargeError,
  TransportClosedError,
} from './errors';
export {
  MAX_WIRE_TTL_MS,
  encodeSetRequest,
  decodeSetRequest,
  encodeGetResponse,
  decodeGetResponse,
  encodeRemoveQuery,
  decodeRemoveQuery,
  decodeKeysPage,
  parseWireJson,
  checkKey,
  type WireItem,
  type SetRequestBody,
  type GetResponseItem,
  type GetResponseBody,
  type GetResponseMeta,
  type RemoveQuery,
  type KeysPageBody,
} from './wire';
export {
  BATCH_CONTENT_TYPE,
  BATCH_PATH,
  MAX_BATCH_OPS,
  checkBatchOp,
  encodeBatchRequest,
  decodeBatchRequest,
  encodeBatchResponse,
  decodeBatchResponse,
  type BatchOp,
  type BatchResult,
} from './batch-wire';
export { MIN_PEER_BODY_LIMIT_BYTES, peerBodyLimitBytes, type PeerBodyLimitInput } from './peer-body-limit';
export { PeerBatcher, type PeerBatcherLimits, type SendBatch } from './peer-batcher';
export { MAX_KEY_PAGES, KeyWalkEnd, walkKeyPages } from './key-pages';
export { HttpPeerTransport } from './http-peer-transport';
export type { ControlTransport, MerkleEntryBody, MerkleQuery, MerkleTreeBody, WireGossipMember } from './control-transport';
export {
  HTTP_PEER_TRANSPORT_DEFAULTS,
  resolveHttpPeerTransportOptions,
  type HttpPeerTransportOptions,
  type ResolvedHttpPeerTransportOptions,
  type PeerTlsOptions,
} from './http-peer-transport-options';
export { type PeerHandler } from './peer-handler';
export { InProcessPeerRegistry } from './in-process-peer-registry';
export { InProcessTransport, type InProcessTransportOptions } from './in-process-transport';
