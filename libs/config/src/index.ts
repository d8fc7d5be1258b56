// Public API of @hypercache/config (config.md): only what other parts import; the schema's
// helpers (durations, byte sizes, cgroup limits) stay internal apart from the parsers they use.
export { ConfigError } from './errors';
export { formatGoDuration, parseGoDurationMs, parseGoDurationNs } from './go-duration';
export { parseListenAddress } from './listen-address';
export type { ListenAddress } from './listen-address';
export { advertisedApiUrl, CONTAINER_RESERVE_BYTES, loadServerConfig, NodeBackend } from './server-config';
export type { BackendConfig, ServerConfig } from './server-config';
export { parseByteSize } from './byte-size';
export { CLOCK } from './config.tokens';
export type { Clock } from './config.tokens';
export { deriveStatefulSetEnv } from './statefulset-env';
