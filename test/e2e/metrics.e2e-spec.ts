import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { DIST_INSTRUMENTS } from '@hypercache/telemetry';
import { http } from '../support/http';
import { startInProcessCluster, type TestNode } from '../support/start-node';
import { until } from '../support/until';

const TOKEN = 'metrics-token';

/** Scrapes `/metrics` and parses it with a real Prometheus text-format parser. */
async function scrape(node: TestNode): Promise<Map<string, PromFamily>> {
  const r = await http('GET', `${node.urls.mgmt}/metrics`, { token: TOKEN });
  expect(r.status).toBe(200);
  return new Map(parsePrometheusTextFormat(r.text).map((f) => [f.name, f]));
}

function value(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name);
  if (!family) throw new Error(`no family ${name}`);
  const sample = family.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample ? Number(sample.value) : 0;
}

/** The Prometheus name of an OTel instrument (dots → underscores, `_total` on counters). */
const promName = (otelName: string, kind: 'counter' | 'gauge') => otelName.replace(/\./g, '_') + (kind === 'counter' ? '_total' : '');

describe('GET /metrics (Prometheus text format, OpenTelemetry instruments)', () => {
  let n1: TestNode;
  let n2: TestNode;

  beforeAll(async () => {
    [n1, n2] = await startInProcessCluster(2, { HYPERCACHE_AUTH_TOKEN: TOKEN, HYPERCACHE_REPLICATION: '2' });
    // The nodes have formed one cluster (both alive in node-1's membership) before anything is scraped.
    const aliveOnN1 = async () =>
      (await http('GET', `${n1.urls.mgmt}/cluster/members`, { token: TOKEN })).json().members.filter((m: { State: string }) => m.State === 'alive').length;
    await until(async () => (await aliveOnN1()) === 2, 30_000);
  });

  it('exposes every dist.* instrument of the spec with its kind, and the engine and HTTP series', async () => {
    const f = await scrape(n1);
    for (const d of DIST_INSTRUMENTS) {
      const family = f.get(promName(d.name, d.kind));
      expect(family?.type).toBe(d.kind === 'counter' ? 'COUNTER' : 'GAUGE');
    }
    expect(f.get('dist_read_repair_batched_total')).toBeDefined(); // registered name, not the changelog's read_repair
    for (const name of ['cache_hits_total', 'cache_misses_total', 'cache_evictions_total', 'cache_expirations_total']) expect(f.get(name)?.type).toBe('COUNTER');
    for (const name of ['cache_items', 'cache_bytes']) expect(f.get(name)?.type).toBe('GAUGE');
    expect(value(f, 'dist_members_alive')).toBe(2);
    expect(f.get('target_info')?.metrics[0].labels).toMatchObject({ service_name: 'hypercache', service_instance_id: 'node-1' });
  });

  it('shows dist, engine and HTTP series changing after traffic', async () => {
    const before = await scrape(n1);
    for (let i = 0; i < 5; i++) {
      expect((await http('PUT', `${n1.urls.api}/v1/cache/m-${i}`, { token: TOKEN, body: 'value-123' })).status).toBe(200);
    }
    for (let i = 0; i < 5; i++) expect((await http('GET', `${n1.urls.api}/v1/cache/m-${i}`, { token: TOKEN })).status).toBe(200);
    expect((await http('GET', `${n1.urls.api}/v1/cache/absent`, { token: TOKEN })).status).toBe(404);
    expect((await http('DELETE', `${n1.urls.api}/v1/cache/m-0`, { token: TOKEN })).status).toBe(200);
    const after = await scrape(n1);

    const delta = (name: string, labels?: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(delta('dist_write_attempts_total')).toBe(5);
    // RF 2: every write lands on both nodes, once as primary fan-out or forward.
    expect(delta('dist_replica_fanout_set_total') + delta('dist_forward_set_total')).toBe(5);
    expect(delta('dist_replica_fanout_remove_total') + delta('dist_forward_remove_total')).toBe(1);
    expect(delta('dist_tombstones_active')).toBeGreaterThanOrEqual(0);
    expect(delta('cache_hits_total')).toBeGreaterThanOrEqual(5);
    expect(delta('cache_misses_total')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'cache_items')).toBe(4);
    expect(value(after, 'cache_bytes')).toBe(4 * 'value-123'.length);
    expect(delta('http_server_requests_total', { listener: 'api', method: 'PUT', status: '200' })).toBe(5);
    expect(delta('http_server_requests_total', { listener: 'api', method: 'GET', status: '200' })).toBe(5);
    expect(delta('http_server_requests_total', { listener: 'api', method: 'GET', status: '404' })).toBe(1);
    expect(delta('http_server_request_time_total', { listener: 'api', method: 'PUT', status: '200' })).toBeGreaterThan(0);
    // Peer traffic is counted on the other node's dist listener.
    const peer = await scrape(n2);
    expect(value(peer, 'http_server_requests_total', { listener: 'dist', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(1);
    // The previous scrape itself is a management request.
    expect(value(after, 'http_server_requests_total', { listener: 'management', method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
  });
});
