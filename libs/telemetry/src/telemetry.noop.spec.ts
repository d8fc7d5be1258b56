import { trace } from '@opentelemetry/api';
import { isOtelExportConfigured } from './otel-sdk';
import { Telemetry } from './telemetry';

describe('Telemetry with no OTEL_* configuration (the default)', () => {
  it('leaves tracing off: no tracer, and the global API tracer is the no-op one', () => {
    const sut = Telemetry.create({ nodeId: 'n1', version: 'test', env: {} });
    expect(sut.tracer).toBeUndefined();
    expect(sut.isTracing).toBe(false);
    const span = trace.getTracer('probe').startSpan('x');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe('00000000000000000000000000000000');
    span.end();
    return sut.shutdown();
  });
});

describe(isOtelExportConfigured.name, () => {
  it.each([
    [{}, false],
    [{ OTEL_SERVICE_NAME: 'x' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://collector:4318/v1/metrics' }, true],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: 'none' }, false],
    [{ OTEL_METRICS_EXPORTER: 'otlp' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }, false],
  ])('%j → %s', (env, expected) => {
    expect(isOtelExportConfigured(env)).toBe(expected);
  });
});
