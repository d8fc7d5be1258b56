// Test-only entry of @hypercache/transport (`@hypercache/transport/testing`): never imported by
// production code and excluded from the build (scripts/build.mjs skips `testing/` directories).
export { MapPeerHandler, type ReceivedRemove } from './map-peer-handler';
export { type PeerHandler } from './peer-handler';
export {
  startPeerTestServer,
  type PeerTestServer,
  type PeerTestServerOptions,
  type RecordedRequest,
  type RouteOverride,
} from './peer-test-server';
export { makeSelfSignedCertificate, type TestCertificate } from './test-certificates';
