export { ConfigError } from './errors';
export { DurationSyntaxError, formatGoDuration, parseGoDurationMs, parseGoDurationNs } from './go-duration';
export { parseListenAddress } from './listen-address';
export type { ListenAddress } from './listen-address';
export { DEFAULT_MAX_BODY_BYTES, LogLevel, loadServerConfig } from './server-config';
export type { ConsistencyLevel, ServerConfig } from './server-config';
export { CLOCK, SERVER_CONFIG } from './config.tokens';
export type { Clock } from './config.tokens';
export { DEFAULT_CLUSTER_DOMAIN, deriveStatefulSetEnv } from './statefulset-env';
