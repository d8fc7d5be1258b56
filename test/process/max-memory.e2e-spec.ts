import { readFileSync } from 'node:fs';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { http } from '../support/http';
import { freePort, spawnServer, until } from '../support/server-process';

// HYPERCACHE_MAX_MEMORY on a real node process: 1 GiB of 64 KiB values through the client API,
// 8 writers. The node evicts (LFU, its configured algorithm) instead of growing until OOM.
const MiB = 1024 * 1024;
const LIMIT = 64 * MiB;
const VALUE_BYTES = 64 * 1024;
const TOTAL_BYTES = 1024 * MiB;
const WRITERS = 8;
/**
 * RSS allowance above the limit (docs/operations.md "Capacity planning"): the idle server (Nest,
 * OpenTelemetry, three listeners: ≈ 170 MiB measured) plus request bodies in flight and evicted
 * values not yet garbage-collected (V8 collects after ≈ 64 MiB of new external memory). Measured
 * peak with this flood: 307 MiB RSS, i.e. limit + 243 MiB.
 */
const RSS_OVERHEAD = 288 * MiB;

function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error('no VmRSS');
  return Number(m[1]) * 1024;
}

function valueFor(i: number): Buffer {
  const b = Buffer.alloc(VALUE_BYTES, i & 0xff);
  b.writeUInt32BE(i, 0);
  return b;
}

function metricValue(text: string, name: string): number {
  const family = parsePrometheusTextFormat(text).find((f: { name: string }) => f.name === name);
  if (family === undefined) throw new Error(`no ${name} in /metrics`);
  return Number(family.metrics[0].value);
}

describe('HYPERCACHE_MAX_MEMORY=64MiB on a real node flooded with 1 GiB of 64 KiB values', () => {
  it('answers every PUT 200, keeps RSS under limit + overhead, serves the newest keys and reports evictions', async () => {
    const p = { api: await freePort(), mgmt: await freePort(), dist: await freePort() };
    const node = spawnServer({
      HYPERCACHE_NODE_ID: 'flood-1',
      HYPERCACHE_API_ADDR: `127.0.0.1:${p.api}`,
      HYPERCACHE_MGMT_ADDR: `127.0.0.1:${p.mgmt}`,
      HYPERCACHE_DIST_ADDR: `127.0.0.1:${p.dist}`,
      HYPERCACHE_MAX_MEMORY: '64MiB',
      HYPERCACHE_MAX_BODY_BYTES: String(80 * MiB),
      HYPERCACHE_LOG_LEVEL: 'warn',
    });
    const api = `http://127.0.0.1:${p.api}`;
    const mgmt = `http://127.0.0.1:${p.mgmt}`;
    await until(async () => (await http('GET', `${api}/healthz`)).status === 200, 60_000);
    const pid = node.child.pid!;

    const puts = TOTAL_BYTES / VALUE_BYTES;
    const statuses = new Map<number, number>();
    let maxRss = rssBytes(pid);
    let next = 0;
    const writer = async () => {
      for (let i = next++; i < puts; i = next++) {
        const r = await http('PUT', `${api}/v1/cache/flood-${i}`, { body: valueFor(i) });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (i % 64 === 0) maxRss = Math.max(maxRss, rssBytes(pid));
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, writer));
    maxRss = Math.max(maxRss, rssBytes(pid));
    process.stdout.write(`max-memory flood: ${puts} PUTs, statuses ${JSON.stringify([...statuses])}, max RSS ${(maxRss / MiB).toFixed(0)} MiB\n`);

    expect([...statuses.keys()]).toEqual([200]);
    expect(maxRss).toBeLessThan(LIMIT + RSS_OVERHEAD);

    // The newest keys are readable, byte for byte.
    for (let i = puts - 50; i < puts; i++) {
      const r = await http('GET', `${api}/v1/cache/flood-${i}`);
      expect(r.status).toBe(200);
      expect(r.body.equals(valueFor(i))).toBe(true);
    }

    const metrics = (await http('GET', `${mgmt}/metrics`)).text;
    const evicted = metricValue(metrics, 'cache_evictions_total');
    const items = metricValue(metrics, 'cache_items');
    expect(metricValue(metrics, 'cache_max_bytes')).toBe(LIMIT);
    expect(metricValue(metrics, 'cache_bytes')).toBeLessThanOrEqual(LIMIT);
    expect(items).toBeGreaterThan(LIMIT / (VALUE_BYTES + 1024) - 1);
    expect(evicted).toBe(puts - items);
    const config = (await http('GET', `${mgmt}/config`)).json();
    expect(config).toMatchObject({ maxCacheSize: LIMIT });
    expect(config.allocation).toBeLessThanOrEqual(LIMIT);
    const stats = (await http('GET', `${mgmt}/stats`)).json();
    expect(stats.memory_limit_bytes.Max).toBe(LIMIT);
    expect(stats.memory_used_bytes.Max).toBe(config.allocation);

    // One value larger than the whole limit: 413 ITEM_TOO_LARGE, nothing evicted for it.
    const huge = await http('PUT', `${api}/v1/cache/huge`, { body: Buffer.alloc(LIMIT + 1, 1) });
    expect(huge.status).toBe(413);
    expect(huge.json().code).toBe('ITEM_TOO_LARGE');
    expect(metricValue((await http('GET', `${mgmt}/metrics`)).text, 'cache_evictions_total')).toBe(evicted);
    expect((await http('GET', `${api}/v1/cache/flood-${puts - 1}`)).status).toBe(200);
  }, 900_000); // ≈ 1 min on an idle 2-core VM, 4+ min under heavy load
});
