// Test-only entry of @hypercache/cache-engine (`@hypercache/cache-engine/testing`): never imported
// by production code and excluded from the build (scripts/build.mjs skips `testing/` directories).
export { DeferredBackend } from './deferred-backend';
export { describeBackendContract } from './backend-contract';
export { describeAsyncEngineContract } from './async-engine-contract';
