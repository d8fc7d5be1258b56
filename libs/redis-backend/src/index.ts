// Public API of @hypercache/redis-backend: the `redis` and `redis-cluster` engine backends
// (engine.md §11, config.md B.3) for `AsyncHyperCache`. Anything not exported here is internal
// (the record codec, option resolution: `createRedisBackend` validates and names a bad option).
export { RedisBackend, createRedisBackend } from './redis-backend';
export { RedisClusterBackend, createRedisClusterBackend } from './redis-cluster-backend';
export {
  type RedisBackendOptions,
  type RedisClusterBackendOptions,
  type RedisCommonOptions,
  type RedisNodeAddress,
  type RedisSerializerName,
  DEFAULT_REDIS_KEY_PREFIX,
  DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
  parseRedisClusterNodes,
} from './redis-options';
export {
  RedisChannelName,
  type RedisCommandMessage,
  type RedisConnectionEvent,
  type RedisConnectionMessage,
} from './redis-channels';
export { BackendUnavailableError, BackendError, InvalidOptionError } from './errors';
