// Public API of @hypercache/telemetry (a leaf: imports no domain lib). Only what the node core
// and the apps import; the OTel SDK start, instrument registration and span names are internal.
export { createRootLogger } from './root-logger';
export { DIST_INSTRUMENTS } from './dist-instruments';
export { DIST_CHANNELS } from './dist-tracing';
export { HttpRequestCounters, installRequestMetrics } from './http-request-counters';
export type { HttpRequestSeries } from './http-request-counters';
export { Listener } from './metrics-snapshot';
export type { EngineMetricsSnapshot, MemoryMetricsSnapshot, NodeMetricsSnapshot } from './metrics-snapshot';
export { installRequestLogging } from './request-logging';
export { PROMETHEUS_CONTENT_TYPE, PrometheusMetrics } from './prometheus-metrics';
export { REDIS_CHANNELS } from './redis-client-metrics';
export { Telemetry } from './telemetry';
export { RESP_COMMAND_CHANNEL, RespCommandCounters } from './resp-command-counters';
