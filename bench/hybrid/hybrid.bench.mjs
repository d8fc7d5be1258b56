// Hybrid cache benchmark: @hypercache/hybrid-cache (ours) vs BentoCache (reference), side by side.
//   npm run bench:hybrid      (= npm run build && node bench/hybrid/hybrid.bench.mjs)
//
// Both sides are configured the same way: L1 of 10 000 items holding live objects (BentoCache
// `memoryDriver({ serialize: false })`, ours `l1: { maxEntries: 10_000, maxBytes: 0 }`), a Redis L2
// with JSON values on one redis-server started here on a free port, a Redis pub/sub backplane/bus,
// 5 min TTL, everything else default. Figures:
//   l1-get-hit       get of a key held in L1                      (1 caller)
//   l1-getorset-hit  getOrSet of a key held in L1                 (1 caller)
//   l2-get-hit       get that misses L1 and hits Redis (a reader with a 1 000-item L1 cycling over
//                    20 000 keys written to L2 beforehand; the hit is written back to L1;
//                    BentoCache's reader uses `serialize: true`, as 1.6.1 with `serialize: false`
//                    crashes on entries it promoted from L2)                      (1 caller)
//   set              set through L1 + Redis L2 + backplane publish               (1 caller)
// Each figure: one warm-up round per side, then ROUNDS rounds running both sides back to back
// (alternating which goes first); prints the median ops/s per side and the median per-round ratio.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const hc = require('../../dist/libs/hybrid-cache/src/index.js');
const Redis = require('ioredis');
const { BentoCache, bentostore } = await import('bentocache');
const { memoryDriver } = await import('bentocache/drivers/memory');
const { redisDriver, redisBusDriver } = await import('bentocache/drivers/redis');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const L1_MS = Number(process.env.BENCH_L1_MS ?? 1_000);
const L2_MS = Number(process.env.BENCH_L2_MS ?? 2_000);
const TTL_MS = 300_000;
const VALUE = { id: 42, name: 'product 42', price: 19.99, tags: ['a', 'b'] };

// ------------------------------------------------------------------ redis-server
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
const stopRedis = () => {
  redis.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
};
process.on('exit', stopRedis);
for (let i = 0; ; i++) {
  try {
    const c = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
    c.on('error', () => undefined);
    await c.connect();
    await c.ping();
    c.disconnect();
    break;
  } catch {
    if (i > 200) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 25));
  }
}
const clients = [];
const client = () => {
  const c = new Redis({ port });
  clients.push(c);
  return c;
};

// ------------------------------------------------------------------ the two caches
function ours(maxEntries = 10_000, prefix = 'ours:') {
  const c = client();
  return new hc.HybridCache({
    l1: { maxEntries, maxBytes: 0 },
    l2: new hc.RedisL2({ client: c, keyPrefix: prefix }),
    serializer: new hc.JsonSerializer(),
    // Its own connection, as BentoCache's bus gets one from `{ host, port }`.
    backplane: new hc.RedisBackplane({ client: client(), channel: 'ours-bus' }),
    defaultEntryOptions: { duration: TTL_MS },
  });
}

function bento(maxItems = 10_000, prefix = 'bento', serialize = false) {
  return new BentoCache({
    default: 'c',
    ttl: TTL_MS,
    stores: {
      c: bentostore()
        .useL1Layer(memoryDriver({ maxItems, serialize }))
        .useL2Layer(redisDriver({ connection: client(), prefix }))
        .useBus(redisBusDriver({ connection: { host: '127.0.0.1', port } })),
    },
  });
}

// ------------------------------------------------------------------ measurement
async function rate(op, ms, callers, stride) {
  let ops = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      let i = c * stride;
      // Time is read every `batch` ops: 64 for the sub-µs L1 hits, every op for Redis round trips.
      const batch = ms === L1_MS ? 64 : 1;
      while (performance.now() < end) {
        for (let j = 0; j < batch; j++) await op(i++);
        ops += batch;
      }
    }),
  );
  return (ops * 1000) / ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');

async function figure(name, oursOp, refOp, ms, callers, stride = 7919) {
  await rate(oursOp, ms / 2, callers, stride);
  await rate(refOp, ms / 2, callers, stride);
  const a = [];
  const b = [];
  const r = [];
  for (let round = 0; round < ROUNDS; round++) {
    let x, y;
    if (round % 2 === 0) {
      x = await rate(oursOp, ms, callers, stride);
      y = await rate(refOp, ms, callers, stride);
    } else {
      y = await rate(refOp, ms, callers, stride);
      x = await rate(oursOp, ms, callers, stride);
    }
    a.push(x);
    b.push(y);
    r.push(x / y);
  }
  console.log(`# ${name} rounds: ${a.map((x, k) => `${fmt(x)}/${fmt(b[k])}`).join(', ')}`);
  console.log(`bench ${name}: ours ${fmt(median(a))} ops/s, reference ${fmt(median(b))} ops/s, ratio ${median(r).toFixed(2)}`);
}

const HOT = 1_000;
const hotKeys = Array.from({ length: HOT }, (_, i) => `hot:${i}`);
const o = ours();
const bc = bento();
await o.ready();
for (const k of hotKeys) {
  await o.set(k, VALUE);
  await bc.set({ key: k, value: VALUE });
}
const factory = () => VALUE;

await figure('l1-get-hit', (i) => o.get(hotKeys[i % HOT]), (i) => bc.get({ key: hotKeys[i % HOT] }), L1_MS, 1);
await figure('l1-getorset-hit', (i) => o.getOrSet(hotKeys[i % HOT], factory), (i) => bc.getOrSet({ key: hotKeys[i % HOT], factory }), L1_MS, 1);

// L1 miss → L2 hit: readers with a small L1 cycling over more keys than it holds.
const COLD = 20_000;
const coldKeys = Array.from({ length: COLD }, (_, i) => `cold:${i}`);
for (let i = 0; i < COLD; i += 500) {
  await Promise.all(coldKeys.slice(i, i + 500).map((k) => Promise.all([o.set(k, VALUE), bc.set({ key: k, value: VALUE })])));
}
const oursReader = ours(1_000);
// BentoCache 1.6.1 with `serialize: false` stores the L2 string in L1 on promotion and then crashes
// reading it back (`serializer.deserialize` of undefined): its reader keeps a serializing L1.
const bentoReader = bento(1_000, 'bento', true);
await oursReader.ready();
const check = await oursReader.get(coldKeys[1]);
const checkRef = await bentoReader.get({ key: coldKeys[1] });
if (!check.found || checkRef?.id !== 42) throw new Error('L2 hit setup failed');
await figure('l2-get-hit', (i) => oursReader.get(coldKeys[i % COLD]), (i) => bentoReader.get({ key: coldKeys[i % COLD] }), L2_MS, 1);

await figure('set', (i) => o.set(`w:${i % 10_000}`, VALUE), (i) => bc.set({ key: `w:${i % 10_000}`, value: VALUE }), L2_MS, 1);

await Promise.all([o.close(), oursReader.close()]);
await Promise.all([bc.disconnect(), bentoReader.disconnect()]);
for (const c of clients) c.disconnect();
stopRedis();
process.exit(0);
