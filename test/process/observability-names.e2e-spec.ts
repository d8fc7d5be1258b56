import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { parse } from 'yaml';
import { http } from '../support/http';
import { metricNamesIn } from '../support/promql';
import { startRedis } from '../support/redis';
import { freePort, ROOT, spawnServer, until } from '../support/server-process';

// Alert rules and the Grafana dashboard may only use series a real node exports. Some series exist
// only after traffic (HTTP counters per status), so the test generates it first.
const rules = parse(readFileSync(join(ROOT, 'deploy/prometheus/hypercache.rules.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/hypercache.json'), 'utf8'));
type Panel = { type: string; title: string; targets?: Array<{ expr?: string }>; panels?: Panel[] };
const panels: Panel[] = (dashboard.panels as Panel[]).flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
/** The metric of a Grafana `label_values(metric, label)` variable query. */
const variableMetric = (definition: string): string => /^label_values\(\s*([a-zA-Z_:][\w:]*)\s*,/.exec(definition)?.[1] ?? '';
/** Series Prometheus makes itself for every scrape target (never in /metrics). */
const SYNTHETIC = new Set(['up']);

/** Metric names a node over Redis exports after a write, a read and a read while Redis is down. */
async function redisNodeSeries(): Promise<string[]> {
  const redis = await startRedis();
  const p = { api: await freePort(), mgmt: await freePort() };
  spawnServer({
    HYPERCACHE_NODE_ID: 'names-redis',
    HYPERCACHE_API_ADDR: `127.0.0.1:${p.api}`,
    HYPERCACHE_MGMT_ADDR: `127.0.0.1:${p.mgmt}`,
    HYPERCACHE_BACKEND: 'redis',
    HYPERCACHE_REDIS_URL: redis.url,
    HYPERCACHE_LOG_LEVEL: 'warn',
  });
  const api = `http://127.0.0.1:${p.api}`;
  await until(async () => (await http('PUT', `${api}/v1/cache/k`, { body: 'v' })).status === 200, 60_000);
  expect((await http('GET', `${api}/v1/cache/k`)).status).toBe(200);
  await redis.stop(true);
  expect((await http('GET', `${api}/v1/cache/k`)).status).toBe(503);
  const text = (await http('GET', `http://127.0.0.1:${p.mgmt}/metrics`)).text;
  return parsePrometheusTextFormat(text).map((f: { name: string }) => f.name);
}

describe('observability kit against a real node', () => {
  it('the dashboard parses and every panel has a query', () => {
    expect(dashboard.title).toBe('HyperCache');
    expect(panels.length).toBeGreaterThanOrEqual(12);
    for (const p of panels) {
      expect({ panel: p.title, queries: (p.targets ?? []).filter((t) => (t.expr ?? '').trim() !== '').length > 0 }).toEqual({ panel: p.title, queries: true });
    }
    for (const v of dashboard.templating.list) if (v.type === 'query') expect(variableMetric(v.definition)).toMatch(/^[a-z_]+$/);
  });

  it('every metric name used by the alert rules and the dashboard exists in /metrics of a real node (in memory, or over Redis)', async () => {
    const p = { api: await freePort(), mgmt: await freePort(), dist: await freePort() };
    spawnServer({
      HYPERCACHE_NODE_ID: 'names-1',
      HYPERCACHE_API_ADDR: `127.0.0.1:${p.api}`,
      HYPERCACHE_MGMT_ADDR: `127.0.0.1:${p.mgmt}`,
      HYPERCACHE_DIST_ADDR: `127.0.0.1:${p.dist}`,
      HYPERCACHE_MAX_MEMORY: '1MiB',
      HYPERCACHE_LOG_LEVEL: 'warn',
    });
    const api = `http://127.0.0.1:${p.api}`;
    await until(async () => (await http('GET', `${api}/healthz`)).status === 200, 60_000);
    // Traffic: writes (some evicting), hits, misses, a refused item (413).
    for (let i = 0; i < 40; i++) expect((await http('PUT', `${api}/v1/cache/k${i}`, { body: Buffer.alloc(64 * 1024, i) })).status).toBe(200);
    await http('GET', `${api}/v1/cache/k39`);
    await http('GET', `${api}/v1/cache/missing`);
    expect((await http('PUT', `${api}/v1/cache/huge`, { body: Buffer.alloc(2 * 1024 * 1024) })).status).toBe(413);
    const text = (await http('GET', `http://127.0.0.1:${p.mgmt}/metrics`)).text;
    const exported = new Set(parsePrometheusTextFormat(text).map((f: { name: string }) => f.name));
    expect(exported.size).toBeGreaterThan(60);
    // The Redis client series come from a node over Redis, after traffic and one failed command.
    for (const name of await redisNodeSeries()) exported.add(name);

    const used = new Map<string, string>();
    for (const g of rules.groups) for (const r of g.rules) for (const n of metricNamesIn(r.expr)) used.set(n, `alert ${r.alert}`);
    for (const p of panels) for (const t of p.targets ?? []) for (const n of metricNamesIn(t.expr ?? '')) used.set(n, `panel ${p.title}`);
    for (const v of dashboard.templating.list) if (v.type === 'query') used.set(variableMetric(v.definition), `variable ${v.name}`);
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter(([n]) => !exported.has(n) && !SYNTHETIC.has(n));
    expect(missing).toEqual([]);
  }, 120_000);
});
