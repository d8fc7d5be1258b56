// bench/client: @hypercache/client on a local 5-node RF 3 cluster of real server processes.
//   bench client-get: ours X ops/s, reference Y ops/s, ratio Z     (ours = topology routing, reference = pinned to node-1)
//   bench client-put: ours X ops/s, reference Y ops/s, ratio Z     (same, PUT)
//   bench near-cache-hit: ours X µs, reference Y µs, ratio Z       (ours = near-cache L1 hit, reference = SDK GET; ratio = Y / X)
//   bench invalidation-p50: ours X ms, reference 50 ms, ratio Z    (write acknowledged here → the other process stops serving the old value)
//   bench invalidation-p99: ours X ms, reference 50 ms, ratio Z    (reference = the p99 bound; ratio = X / 50)
// Throughput: `BENCH_CONCURRENCY` concurrent calls for `BENCH_DURATION_S` per setup, rounds alternate
// which setup goes first, each ratio is the median of the per-round ratios.
// Env: BENCH_DURATION_S (5), BENCH_ROUNDS (3), BENCH_CONCURRENCY (32), BENCH_PROBES (200).
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startCluster } from './cluster.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { HypercacheClient } = require('../../dist/libs/client/src/index.js');
const { createNearCache } = require('../../dist/libs/client/src/hybrid/index.js');
const { HybridCache, JsonSerializer } = require('../../dist/libs/hybrid-cache/src/index.js');

const duration = Number(process.env.BENCH_DURATION_S ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const probes = Number(process.env.BENCH_PROBES ?? 200);
const TOKEN = 'bench-token';
const KEYS = Array.from({ length: 1000 }, (_, i) => `k${i}`);
const VALUE = 'x'.repeat(64);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3));
const line = (name, ours, ref, unit, ratio) => console.log(`bench ${name}: ours ${fmt(ours)} ${unit}, reference ${fmt(ref)} ${unit}, ratio ${ratio.toFixed(2)}`);

async function untilHealthy(near) {
  const deadline = Date.now() + 30_000;
  while (!near.backplane.healthy) {
    if (Date.now() > deadline) throw new Error('the event streams of the near-cache did not connect within 30 s (GET /v1/events)');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function throughput(client, op) {
  let n = 0;
  const end = performance.now() + duration * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = w; performance.now() < end; i += concurrency) {
        const key = KEYS[i % KEYS.length];
        if (op === 'get') await client.get(key);
        else await client.put(key, VALUE);
        n++;
      }
    }),
  );
  return n / duration;
}

const cluster = await startCluster(5, 3, TOKEN);
const routed = new HypercacheClient({ endpoints: cluster.urls, token: TOKEN });
const pinned = new HypercacheClient({ endpoints: cluster.urls[0], token: TOKEN, routing: 'pinned' });
try {
  // Every member's client API URL travels by gossip before routing can use it (bounded wait).
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const t = await routed.topology().catch(() => undefined);
    if (t?.members.filter((m) => m.apiUrl !== null && m.state === 'alive').length === 5) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const routable = routed.currentTopology?.members.filter((m) => m.apiUrl !== null).length ?? 0;
  if (routable < 5) console.error(`note: only ${routable} of 5 members advertise a client API URL yet`);
  for (let i = 0; i < KEYS.length; i += 50) await Promise.all(KEYS.slice(i, i + 50).map((key) => routed.put(key, VALUE)));
  for (const op of ['get', 'put']) {
    const ratios = [];
    let last;
    await throughput(routed, op); // warm-up of both pools and the servers' JIT
    await throughput(pinned, op);
    for (let r = 0; r < rounds; r++) {
      const first = r % 2 === 0 ? routed : pinned;
      const a = await throughput(first, op);
      const b = await throughput(first === routed ? pinned : routed, op);
      const [ours, ref] = first === routed ? [a, b] : [b, a];
      ratios.push(ours / ref);
      last = { ours, ref };
    }
    line(`client-${op}`, last.ours, last.ref, 'ops/s', median(ratios));
  }

  // Near-cache hit vs SDK GET, both sequential in this process.
  const near = createNearCache(routed, { cacheName: 'bench', keyPrefix: 'bench:' });
  const cache = await HybridCache.create({ ...near, serializer: new JsonSerializer() });
  await untilHealthy(near);
  await cache.set('hot', { v: VALUE });
  await routed.put('hot-raw', VALUE);
  // The writer's own near-cache drops its copy when its write's event comes back; wait for that, then cache it.
  await new Promise((r) => setTimeout(r, 200));
  await cache.get('hot');
  const timeIt = async (n, fn) => {
    for (let i = 0; i < Math.min(n, 200); i++) await fn();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return ((performance.now() - t0) * 1000) / n;
  };
  const hitUs = await timeIt(200_000, () => cache.get('hot'));
  const getUs = await timeIt(2_000, () => routed.get('hot-raw'));
  line('near-cache-hit', hitUs, getUs, 'µs', getUs / hitUs);

  // Invalidation delay: a second process holds the key in its near-cache; this one writes.
  const reader = fork(join(here, 'near-reader.mjs'), [JSON.stringify({ urls: cluster.urls, token: TOKEN })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  reader.on('message', (m) => waiting.get(m.type)?.(m));
  const next = (type) => new Promise((resolve) => waiting.set(type, resolve));
  await next('ready');
  const delays = [];
  for (let i = 0; i < probes; i++) {
    const key = `probe-${i}`;
    await cache.set(key, 0);
    reader.send({ type: 'probe', key });
    await next('armed');
    const seen = next('seen');
    await cache.set(key, 1);
    const ackAt = performance.timeOrigin + performance.now();
    const { at } = await seen;
    delays.push(Math.max(0, at - ackAt));
  }
  reader.send({ type: 'close' });
  line('invalidation-p50', pct(delays, 50), 50, 'ms', pct(delays, 50) / 50);
  line('invalidation-p99', pct(delays, 99), 50, 'ms', pct(delays, 99) / 50);
  await cache.close();
} finally {
  await routed.close();
  await pinned.close();
  cluster.stop();
}
