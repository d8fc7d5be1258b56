// Test-only entry of @hypercache/transport: never imported by production code, and excluded from
// the build (scripts/build.mjs skips `testing/` directories). Import it relatively from specs.
export {
  FaultInjectingTransport,
  type FaultInjectionOptions,
  type FaultInjectionStats,
} from './fault-injecting-transport';
export { MapPeerHandler, type ReceivedRemove } from './map-peer-handler';
export {
  startPeerTestServer,
  type PeerTestServer,
  type PeerTestServerOptions,
  type RecordedRequest,
  type RouteOverride,
} from './peer-test-server';
export { makeSelfSignedCertificate, type TestCertificate } from './test-certificates';
