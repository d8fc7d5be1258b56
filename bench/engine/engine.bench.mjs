// Engine micro-benchmark: HyperCache (ours) vs lru-cache 11 (reference), side by side in one run.
//   npm run build && node bench/engine/engine.bench.mjs
// Each figure alternates ours/reference rounds (cancels drift) and reports the median ops/s.
// Memory per item runs each side in a fresh child process with --expose-gc.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { LRUCache } = require('lru-cache');
const engine = require('../../dist/libs/cache-engine/src/index.js');
const eviction = require('../../dist/libs/eviction/src/index.js');

const N = 100_000;
const ROUNDS = 7;
const GET_OPS = 1_000_000;
const SET_OPS = 500_000;
const VALUE = Buffer.alloc(64, 7);
const registry = eviction.registerArc(eviction.createDefaultEvictionRegistry());

const keys = Array.from({ length: N }, (_, i) => `key:${i}`);
const shuffled = shuffle(keys.slice());
// 4 × N distinct keys cycled by the set benchmarks: every set is a new key once the cache is full.
const setKeys = Array.from({ length: 4 * N }, (_, i) => `new:${i}`);

function shuffle(a) {
  let s = 42;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function ours(algorithm = 'lru', extra = {}) {
  const c = new engine.HyperCache({
    capacity: N,
    evictionIntervalMs: 0, // proactive eviction: count never exceeds capacity, like lru-cache's max
    expirationIntervalMs: 0,
    evictionAlgorithm: algorithm,
    evictionRegistry: registry,
    ...extra,
  });
  for (const k of keys) c.set(k, VALUE);
  return c;
}

function reference(extra = {}) {
  const c = new LRUCache({ max: N, ...extra });
  for (const k of keys) c.set(k, VALUE);
  return c;
}

/** Runs `fn(ops)` once and returns ops/s. */
function rate(fn, ops) {
  const t = process.hrtime.bigint();
  fn(ops);
  return ops / (Number(process.hrtime.bigint() - t) / 1e9);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function compare(name, oursFn, refFn, ops) {
  rate(oursFn, ops); // warm-up
  rate(refFn, ops);
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      a.push(rate(oursFn, ops));
      b.push(rate(refFn, ops));
    } else {
      b.push(rate(refFn, ops));
      a.push(rate(oursFn, ops));
    }
  }
  const x = median(a);
  const y = median(b);
  console.log(`bench ${name}: ours ${fmt(x)} ops/s, reference ${fmt(y)} ops/s, ratio ${(x / y).toFixed(2)}`);
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
let sink = 0;

function getLoop(cache) {
  return (ops) => {
    let hits = 0;
    for (let i = 0; i < ops; i++) if (cache.get(shuffled[i % N]) !== undefined) hits++;
    sink += hits;
  };
}

function setLoop(cache, ttl) {
  let next = 0;
  return (ops) => {
    for (let i = 0; i < ops; i++) {
      cache.set(setKeys[next], VALUE, ttl);
      next = next + 1 === setKeys.length ? 0 : next + 1;
    }
  };
}

function refSetLoop(cache, ttl) {
  let next = 0;
  const opts = ttl === undefined ? undefined : { ttl };
  return (ops) => {
    for (let i = 0; i < ops; i++) {
      cache.set(setKeys[next], VALUE, opts);
      next = next + 1 === setKeys.length ? 0 : next + 1;
    }
  };
}

/** 32 Maps routed by FNV-1a — what upstream's XXH64-sharded in-memory map costs in JS. */
function shardedMap() {
  const shards = Array.from({ length: 32 }, () => new Map());
  return {
    set: (k, v) => shards[eviction.fnv1a32(k) & 31].set(k, v),
    get: (k) => shards[eviction.fnv1a32(k) & 31].get(k),
  };
}

function memoryChild(side) {
  const M = 1_000_000;
  const used = () => {
    globalThis.gc();
    globalThis.gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const ks = Array.from({ length: M }, (_, i) => `key:${i}`);
  const vs = Array.from({ length: M }, (_, i) => Buffer.alloc(64, i & 255));
  const before = used();
  let c;
  if (side === 'ours') {
    c = new engine.HyperCache({ capacity: M, evictionIntervalMs: 0, expirationIntervalMs: 0, evictionAlgorithm: 'lru', evictionRegistry: registry });
    for (let i = 0; i < M; i++) c.set(ks[i], vs[i]);
  } else {
    c = new LRUCache({ max: M });
    for (let i = 0; i < M; i++) c.set(ks[i], vs[i]);
  }
  const after = used();
  if (c.get(ks[0]) === undefined) throw new Error('lost');
  process.stdout.write(String((after - before) / M));
}

function memory() {
  const run = (side) => {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--memory', side], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return Number(r.stdout);
  };
  const x = run('ours');
  const y = run('reference');
  console.log(`bench memory-per-item: ours ${x.toFixed(0)} B, reference ${y.toFixed(0)} B, ratio ${(x / y).toFixed(2)}`);
}

if (process.argv[2] === '--memory') {
  memoryChild(process.argv[3]);
} else {
  console.log(`# node ${process.version}, ${N} items, ${ROUNDS} alternating rounds, median ops/s; reference = lru-cache 11`);
  compare('get-hit', getLoop(ours('lru')), getLoop(reference()), GET_OPS);
  compare('set-evict', setLoop(ours('lru')), refSetLoop(reference()), SET_OPS);
  const ttlOurs = ours('lru', { expiry: 'absolute' });
  const ttlRef = reference({ ttl: 60_000 });
  compare('ttl-set', setLoop(ttlOurs, 60_000), refSetLoop(ttlRef, 60_000), SET_OPS);
  const ttlGetOurs = ours('lru', { expiry: 'absolute' });
  for (const k of keys) ttlGetOurs.set(k, VALUE, 60_000);
  const ttlGetRef = reference({ ttl: 60_000 });
  compare('ttl-get-hit', getLoop(ttlGetOurs), getLoop(ttlGetRef), GET_OPS);
  for (const algorithm of ['lru', 'lfu', 'clock', 'cawolfu', 'arc']) {
    compare(`get-hit-${algorithm}`, getLoop(ours(algorithm)), getLoop(reference()), GET_OPS);
    compare(`set-evict-${algorithm}`, setLoop(ours(algorithm)), refSetLoop(reference()), SET_OPS);
  }
  // Backend choice (engine.md §11): one Map (ours) vs 32 hashed shards (upstream layout).
  const single = new Map();
  const sharded = shardedMap();
  for (const k of keys) {
    single.set(k, VALUE);
    sharded.set(k, VALUE);
  }
  compare('backend-map-get (single Map vs 32 fnv1a shards)', getLoop(single), getLoop(sharded), GET_OPS);
  memory();
  if (sink === 0) console.log('# (sink)');
}
