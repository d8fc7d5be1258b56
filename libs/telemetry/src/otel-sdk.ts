import { metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { NodeSDK } from '@opentelemetry/sdk-node';

type Env = Readonly<Record<string, string | undefined>>;

const set = (env: Env, name: string): boolean => (env[name] ?? '').trim() !== '';
const exporterIsNone = (env: Env, name: string): boolean =>
  (env[name] ?? '')
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .includes('none');

/**
 * True when the standard `OTEL_*` variables ask for export: an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, `…_TRACES_ENDPOINT`, `…_METRICS_ENDPOINT`) or an explicit
 * `OTEL_TRACES_EXPORTER` / `OTEL_METRICS_EXPORTER`, and `OTEL_SDK_DISABLED` is not `true`.
 */
export function isOtelExportConfigured(env: Env): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false;
  return (
    set(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') ||
    set(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ||
    set(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT') ||
    (set(env, 'OTEL_TRACES_EXPORTER') && !exporterIsNone(env, 'OTEL_TRACES_EXPORTER')) ||
    (set(env, 'OTEL_METRICS_EXPORTER') && !exporterIsNone(env, 'OTEL_METRICS_EXPORTER'))
  );
}

/** What {@link startOtelSdk} registered. */
export interface OtelSdkHandle {
  /** The global tracer, or undefined when `OTEL_TRACES_EXPORTER=none`. */
  readonly tracer: Tracer | undefined;
  /** The global meter (a no-op meter when `OTEL_METRICS_EXPORTER=none`). */
  readonly meter: Meter;
  /** Flushes and stops the SDK once the last user released it. */
  release(): Promise<void>;
}

let shared: { sdk: NodeSDK; users: number } | undefined;

/**
 * Starts the OpenTelemetry Node SDK from the `OTEL_*` environment (exporters, protocol,
 * endpoint, headers, sampler, resource attributes — all the SDK's standard variables), once per
 * process, with no auto-instrumentation and no OTel log pipeline (logs stay pino). Returns
 * undefined, starting nothing, when {@link isOtelExportConfigured} is false.
 */
export function startOtelSdk(env: Env, o: { serviceName: string; nodeId: string; version: string }): OtelSdkHandle | undefined {
  if (!isOtelExportConfigured(env)) return undefined;
  if (shared === undefined) {
    // Loaded only when exporting: the SDK and its exporters are a large module graph.
    const { NodeSDK: Sdk } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
    const sdk = new Sdk({
      serviceName: set(env, 'OTEL_SERVICE_NAME') ? env.OTEL_SERVICE_NAME : o.serviceName,
      resource: resourceFromAttributes({ 'service.instance.id': o.nodeId, 'service.version': o.version }),
      instrumentations: [],
      logRecordProcessors: [],
    });
    sdk.start();
    shared = { sdk, users: 0 };
  }
  shared.users++;
  let released = false;
  return {
    tracer: exporterIsNone(env, 'OTEL_TRACES_EXPORTER') ? undefined : trace.getTracer('hypercache', o.version),
    meter: metrics.getMeter('hypercache', o.version),
    release: async () => {
      if (released || shared === undefined) return;
      released = true;
      if (--shared.users > 0) return;
      const { sdk } = shared;
      shared = undefined;
      await sdk.shutdown().catch(() => undefined);
    },
  };
}
