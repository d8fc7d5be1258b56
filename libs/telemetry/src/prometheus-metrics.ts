import { ValueType, type Meter, type Observable, type ObservableCounter, type ObservableGauge } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { DIST_INSTRUMENTS, type DistInstrument } from './dist-instruments';
import type { NodeMetricsSnapshot } from './metrics-snapshot';

/** Content type of `GET /metrics` (Prometheus text exposition format 0.0.4). */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Instrumentation scope of every hypercache instrument. */
export const METER_NAME = 'hypercache';

/**
 * Registers every node instrument on `meter` as an *observable* instrument with one batch
 * callback: each collection calls `snapshot()` once and observes all values from it (so a scrape
 * sees one consistent snapshot, and operations pay nothing but their plain counter increments).
 *
 * Instruments: every `dist.*` of dist-protocol.md §16; engine `cache.hits`, `cache.misses`,
 * `cache.expired_reads`, `cache.evictions`, `cache.expirations` (counters) and `cache.items`,
 * `cache.bytes` (gauges); memory gauges `cache.max_bytes`, `process.memory.rss_bytes`,
 * `container.memory.limit_bytes`, `dist.hinted.items` and the counters `dist.write.replica_too_large`
 * and `dist.write.restamps`
 * (docs/operations.md); `http.server.requests` and `http.server.request.time` (seconds)
 * labelled `listener`, `method`, `status`.
 */
export function registerNodeInstruments(meter: Meter, snapshot: () => NodeMetricsSnapshot): void {
  const int = { valueType: ValueType.INT };
  const dist = DIST_INSTRUMENTS.map((d: DistInstrument) => {
    const o = { ...int, unit: d.unit, description: d.description };
    return { field: d.field, instrument: d.kind === 'counter' ? meter.createObservableCounter(d.name, o) : meter.createObservableGauge(d.name, o) };
  });
  const counter = (name: string, unit: string, description: string): ObservableCounter => meter.createObservableCounter(name, { ...int, unit, description });
  const gauge = (name: string, unit: string, description: string): ObservableGauge => meter.createObservableGauge(name, { ...int, unit, description });
  const engine = {
    hits: counter('cache.hits', '{op}', 'engine reads that found a live item'),
    misses: counter('cache.misses', '{op}', 'engine reads of missing keys'),
    expiredReads: counter('cache.expired_reads', '{op}', 'engine reads of expired, not yet swept items'),
    evictions: counter('cache.evictions', '{item}', 'items evicted'),
    expirations: counter('cache.expirations', '{item}', 'items removed by expiration sweeps'),
    items: gauge('cache.items', '{item}', 'items stored on this node'),
    bytes: gauge('cache.bytes', 'By', 'bytes accounted on this node'),
  };
  const memory = {
    limitBytes: gauge('cache.max_bytes', 'By', 'HYPERCACHE_MAX_MEMORY in effect (0 = no byte limit)'),
    rssBytes: gauge('process.memory.rss_bytes', 'By', 'resident set size of the process'),
    containerLimitBytes: gauge('container.memory.limit_bytes', 'By', 'cgroup memory limit of the container (0 = none found)'),
    hintItems: gauge('dist.hinted.items', '{hint}', 'hints queued for unreachable replicas'),
    replicaTooLarge: counter('dist.write.replica_too_large', '{op}', 'replica writes a peer refused as larger than its memory limit'),
    writeRestamps: counter('dist.write.restamps', '{op}', 'coordinated writes and deletes sent again with a newer version after a replica refused them as stale'),
  };
  const requests = counter('http.server.requests', '{request}', 'HTTP requests answered, by listener, method and status');
  const requestTime = meter.createObservableCounter('http.server.request.time', {
    valueType: ValueType.DOUBLE,
    unit: 's',
    description: 'summed HTTP request durations (divide by http.server.requests for the mean)',
  });
  const observables: Observable[] = [...dist.map((d) => d.instrument), ...Object.values(engine), ...Object.values(memory), requests, requestTime];
  meter.addBatchObservableCallback((r) => {
    const s = snapshot();
    for (const d of dist) {
      // A node over Redis has no dist layer: its snapshot has no dist fields and these stay empty.
      const v = s.dist[d.field];
      if (typeof v === 'number') r.observe(d.instrument, v);
    }
    for (const [k, instrument] of Object.entries(engine)) r.observe(instrument, s.engine[k as keyof typeof engine]);
    for (const [k, instrument] of Object.entries(memory)) r.observe(instrument, s.memory[k as keyof typeof memory]);
    for (const h of s.http) {
      const labels = { listener: h.listener, method: h.method, status: String(h.status) };
      r.observe(requests, h.count, labels);
      r.observe(requestTime, h.seconds, labels);
    }
  }, observables);
}

/**
 * The node's own meter provider with a pull-only Prometheus reader (no HTTP server of its own:
 * the management app serves {@link scrape} at `GET /metrics`).
 */
export class PrometheusMetrics {
  readonly #exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  readonly #serializer = new PrometheusSerializer('', false, undefined, false, true);
  readonly #provider: MeterProvider;

  constructor(resource: Resource) {
    this.#provider = new MeterProvider({ resource, readers: [this.#exporter] });
  }

  /** The meter to register instruments on. */
  get meter(): Meter {
    return this.#provider.getMeter(METER_NAME);
  }

  /** Collects once and renders the Prometheus text format. */
  async scrape(): Promise<string> {
    const { resourceMetrics } = await this.#exporter.collect();
    return this.#serializer.serialize(resourceMetrics);
  }

  /** Releases the provider (idempotent). */
  async shutdown(): Promise<void> {
    await this.#provider.shutdown().catch(() => undefined);
  }
}
