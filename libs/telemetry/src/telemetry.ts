import type { Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { DistTracing } from './dist-tracing';
import type { NodeMetricsSnapshot } from './metrics-snapshot';
import { startOtelSdk, type OtelSdkHandle } from './otel-sdk';
import { PrometheusMetrics, registerNodeInstruments } from './prometheus-metrics';
import { RedisClientMetrics } from './redis-client-metrics';
import { RespCommandCounters } from './resp-command-counters';

/** Options of {@link Telemetry.create}. */
export interface TelemetryOptions {
  readonly nodeId: string;
  readonly version: string;
  /** Where `OTEL_*` variables are read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * A tracer to use instead of the SDK's (tests pass one backed by an in-memory exporter).
   * Setting it enables tracing whatever the environment says.
   */
  readonly tracer?: Tracer;
}

/**
 * The node's telemetry: Prometheus metrics (always; served at management `GET /metrics`),
 * OpenTelemetry export over OTLP (only when `OTEL_*` asks for it) and tracing of the dist data
 * path (only when a tracer is configured: it then subscribes to the data path's diagnostics
 * channels; otherwise nothing subscribes and the data path publishes nothing).
 */
export class Telemetry {
  readonly prometheus: PrometheusMetrics;
  /** The tracer dist spans go to, or undefined when tracing is off (the default). */
  readonly tracer: Tracer | undefined;
  readonly #sdk: OtelSdkHandle | undefined;
  readonly #tracing: DistTracing | undefined;
  #redis: RedisClientMetrics | undefined;
  readonly #resp: RespCommandCounters;
  #closed = false;

  private constructor(o: TelemetryOptions) {
    this.#sdk = startOtelSdk(o.env ?? process.env, { serviceName: 'hypercache', nodeId: o.nodeId, version: o.version });
    this.tracer = o.tracer ?? this.#sdk?.tracer;
    this.#tracing = this.tracer && new DistTracing(o.nodeId, this.tracer);
    this.#tracing?.subscribe();
    this.prometheus = new PrometheusMetrics(
      resourceFromAttributes({ 'service.name': 'hypercache', 'service.instance.id': o.nodeId, 'service.version': o.version }),
    );
    // RESP command counters (issue 19): subscribed by channel name, nothing published without a RESP listener.
    this.#resp = new RespCommandCounters(o.nodeId);
    this.#resp.subscribe();
    this.#resp.register(this.prometheus.meter);
    if (this.#sdk) this.#resp.register(this.#sdk.meter);
  }

  /** Builds the node's telemetry (starts the OTel SDK when configured, once per process). */
  static create(o: TelemetryOptions): Telemetry {
    return new Telemetry(o);
  }

  /** True when dist operations are traced. */
  get isTracing(): boolean {
    return this.tracer !== undefined;
  }

  /** Registers the node's instruments on the Prometheus meter and, when exporting, the OTLP meter. */
  observe(snapshot: () => NodeMetricsSnapshot): void {
    registerNodeInstruments(this.prometheus.meter, snapshot);
    if (this.#sdk) registerNodeInstruments(this.#sdk.meter, snapshot);
  }

  /**
   * Adds the Redis client series (commands, errors, latency, reconnects) of a node over Redis,
   * fed by the backend's diagnostics channels ({@link RedisClientMetrics}). Idempotent.
   */
  observeRedis(): void {
    if (this.#closed || this.#redis !== undefined) return;
    this.#redis = new RedisClientMetrics(this.#sdk ? [this.prometheus.meter, this.#sdk.meter] : [this.prometheus.meter]);
    this.#redis.subscribe();
  }

  /** Flushes exporters and releases the SDK (idempotent). */
  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#tracing?.unsubscribe();
    this.#redis?.unsubscribe();
    this.#resp.unsubscribe();
    await Promise.all([this.prometheus.shutdown(), this.#sdk?.release()]);
  }
}
