// Nest entry of @hypercache/client: `@hypercache/client/nest` (peer: @nestjs/common).
export { HypercacheClientModule, HypercacheClientLifecycle, type HypercacheClientModuleAsyncOptions } from './hypercache-client.module';
export { HYPERCACHE_CLIENT_OPTIONS } from './hypercache-client.tokens';
