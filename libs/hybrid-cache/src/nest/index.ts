// Nest entry of @hypercache/hybrid-cache: `@hypercache/hybrid-cache/nest` (peer: @nestjs/common).
export { HybridCacheModule, HybridCacheRegistry, InjectCache, type HybridCacheModuleOptions, type HybridCacheModuleAsyncOptions } from './hybrid-cache.module';
export { getCacheToken } from './hybrid-cache.tokens';
