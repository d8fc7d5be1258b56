// bench/memory: bytes per item of a node holding BENCH_ITEMS items of 64-byte values loaded through
// its HTTP API, against Redis `used_memory` per item for the same keys and values.
//   npm run bench:memory      (= npm run build && node bench/memory/memory.bench.mjs)
// Env: BENCH_ITEMS (default 1 000 000), BENCH_CONCURRENCY (48 PUTs in flight), BENCH_VALUE_BYTES (64).
//
// Ours: the built server (single node, open mode, HYPERCACHE_CAPACITY=0 with a generous
// HYPERCACHE_MAX_MEMORY, so the byte limit's LRU tracks every key as in a sized deployment) is
// started with `--inspect` on a free loopback port; the bench forces full GCs through the inspector
// protocol (HeapProfiler.collectGarbage; nothing in the server's code) before reading
// process.memoryUsage() and /proc/<pid>/status VmRSS, once after start-up and a short warm-up, once
// after loading (after RSS settled). Figures: RSS delta per item ("ours"), and heapUsed + external
// delta per item (V8's view: live objects plus off-heap ArrayBuffer backing stores).
// Reference: a redis-server started here (no persistence) loaded with the same keys and values by
// pipelined SETs; `INFO memory` used_memory delta per item (and used_memory_rss delta per item).
// Prints `bench memory-per-item: ours X B/item, reference Y B/item, ratio Z` plus `#` detail lines.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { inspectorSession } from '../inspector.mjs';
import { freePort, Redis, startRedisServer } from '../redis/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const items = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 48);
const valueBytes = Number(process.env.BENCH_VALUE_BYTES ?? 64);
const WARM_ITEMS = 2_000;

const keyOf = (i) => `key:${String(i).padStart(7, '0')}`;
/** Distinct bytes per item (no store can share them): the index in decimal, padded with 'v'. */
const valueOf = (i) => {
  const b = Buffer.alloc(valueBytes, 0x76);
  b.write(String(i), 0, 'latin1');
  return b;
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const perItem = (bytes) => bytes / items;
const fmt = (n) => n.toFixed(1);

function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]) * 1024;
}

/** The server's inspector: full GCs and `process.memoryUsage()` through the DevTools protocol. */
async function inspector(port) {
  const { send, close } = await inspectorSession(port);
  return {
    /** Full GCs (several: weak callbacks free ArrayBuffer backing stores a GC later), then process.memoryUsage(). */
    async gcAndMeasure() {
      for (let i = 0; i < 3; i++) await send('HeapProfiler.collectGarbage');
      const r = await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
      return JSON.parse(r.result.value);
    },
    close,
  };
}

async function startOurs() {
  const [api, mgmt, dist, insp] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, [`--inspect=127.0.0.1:${insp}`, join(root, 'dist/apps/server/src/main.js')], {
    env: {
      ...process.env,
      HYPERCACHE_NODE_ID: 'bench-memory',
      HYPERCACHE_API_ADDR: `127.0.0.1:${api}`,
      HYPERCACHE_MGMT_ADDR: `127.0.0.1:${mgmt}`,
      HYPERCACHE_DIST_ADDR: `127.0.0.1:${dist}`,
      HYPERCACHE_LOG_LEVEL: 'warn',
      HYPERCACHE_CAPACITY: '0',
      HYPERCACHE_MAX_MEMORY: '64GiB',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // The inspector announces itself on stderr; anything else is passed through.
  child.stderr.on('data', (d) => {
    const s = String(d);
    if (!/Debugger listening|For help, see/.test(s)) process.stderr.write(s);
  });
  const pool = new Pool(`http://127.0.0.1:${api}`, { connections: concurrency, pipelining: 1 });
  for (let i = 0; ; i++) {
    try {
      const r = await pool.request({ path: '/v1/cache/__probe', method: 'GET' });
      await r.body.dump();
      break;
    } catch (e) {
      if (i > 600) throw e;
      await sleep(50);
    }
  }
  return { child, pool, inspector: await inspector(insp), stop: () => child.kill('SIGKILL') };
}

/** PUTs items [from, to) with `concurrency` in flight. */
async function load(pool, from, to) {
  let next = from;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < to) {
        const i = next++;
        const r = await pool.request({ path: `/v1/cache/${keyOf(i)}`, method: 'PUT', body: valueOf(i), headers: { 'content-type': 'application/octet-stream' } });
        await r.body.dump();
        if (r.statusCode !== 200) throw new Error(`PUT ${keyOf(i)}: HTTP ${r.statusCode}`);
      }
    }),
  );
}

/** Polls RSS until it moved less than 0.5 % over 2 s (or 30 s passed). */
async function settledRss(pid) {
  let last = rssOf(pid);
  for (let t = 0; t < 15; t++) {
    await sleep(2_000);
    const now = rssOf(pid);
    if (Math.abs(now - last) < last * 0.005) return now;
    last = now;
  }
  return last;
}

async function measureOurs() {
  const s = await startOurs();
  try {
    // Warm-up (JIT, pools, first column growth) on keys outside the measured set.
    await load(s.pool, -WARM_ITEMS, 0);
    const m0 = await s.inspector.gcAndMeasure();
    const rss0 = await settledRss(s.child.pid);
    const t0 = performance.now();
    await load(s.pool, 0, items);
    const loadS = (performance.now() - t0) / 1000;
    await settledRss(s.child.pid);
    const m1 = await s.inspector.gcAndMeasure();
    const rss1 = rssOf(s.child.pid);
    return {
      rss: perItem(rss1 - rss0),
      heap: perItem(m1.heapUsed - m0.heapUsed),
      external: perItem(m1.external - m0.external),
      arrayBuffers: perItem(m1.arrayBuffers - m0.arrayBuffers),
      rssTotal: rss1,
      rate: items / loadS,
    };
  } finally {
    s.inspector.close();
    await s.pool.close();
    s.stop();
  }
}

async function redisMemory(client) {
  const info = await client.info('memory');
  const field = (name) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)[1]);
  return { used: field('used_memory'), rss: field('used_memory_rss') };
}

async function measureRedis() {
  const server = await startRedisServer();
  const client = new Redis({ port: server.port });
  try {
    const m0 = await redisMemory(client);
    const BATCH = 1_000;
    for (let i = 0; i < items; i += BATCH) {
      const p = client.pipeline();
      for (let j = i; j < Math.min(items, i + BATCH); j++) p.set(keyOf(j), valueOf(j));
      await p.exec();
    }
    const m1 = await redisMemory(client);
    return { used: perItem(m1.used - m0.used), rss: perItem(m1.rss - m0.rss) };
  } finally {
    client.disconnect();
    server.stop();
  }
}

const ours = await measureOurs();
const ref = await measureRedis();
console.log(`# ${items} items of ${valueBytes}-byte values, keys key:%07d, ${concurrency} PUTs in flight (${Math.round(ours.rate)} PUT/s); server RSS after load ${(ours.rssTotal / 2 ** 20).toFixed(0)} MiB`);
console.log(`# ours after full GC: heapUsed ${fmt(ours.heap)} + external ${fmt(ours.external)} (of which arrayBuffers ${fmt(ours.arrayBuffers)}) = ${fmt(ours.heap + ours.external)} B/item`);
console.log(`bench memory-per-item: ours ${fmt(ours.rss)} B/item, reference ${fmt(ref.used)} B/item, ratio ${(ours.rss / ref.used).toFixed(2)}`);
console.log(`bench memory-rss-per-item: ours ${fmt(ours.rss)} B/item, reference ${fmt(ref.rss)} B/item (Redis RSS), ratio ${(ours.rss / ref.rss).toFixed(2)}`);
console.log(`bench memory-heap-per-item: ours ${fmt(ours.heap + ours.external)} B/item (heapUsed + external after GC), reference ${fmt(ref.used)} B/item, ratio ${((ours.heap + ours.external) / ref.used).toFixed(2)}`);
process.exit(0);
