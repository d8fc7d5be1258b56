// Public API of @hypercache/transport (dist-protocol.md §17): how one node calls another node's
// dist listener, and the wire codecs its dist routes decode with. Only what other parts import is
// exported; test helpers (a fake peer server, test certificates) are on
// `@hypercache/transport/testing`.
export { type PeerAddress } from './peer-address';
export { type PeerTransport } from './peer-transport';
export { PeerUnreachableError, PeerStatusError } from './errors';
export { decodeSetRequest, encodeGetResponse, decodeRemoveQuery, parseWireJson } from './wire';
export {
  BATCH_CONTENT_TYPE,
  encodeBatchRequest,
  decodeBatchRequest,
  encodeBatchResponse,
  decodeBatchResponse,
  type BatchOp,
  type BatchResult,
} from './batch-wire';
export { peerBodyLimitBytes } from './peer-body-limit';
export { HttpPeerTransport } from './http-peer-transport';
