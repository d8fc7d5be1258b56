// Engine micro-benchmark: HyperCache (ours) vs lru-cache 11 (reference), side by side.
//   npm run bench:engine        (= npm run build && node --expose-gc bench/engine/engine.bench.mjs)
//   BENCH_FIGURES=get-hit,set-evict BENCH_PROCESSES=3 npm run bench:engine   (a subset, no memory figure)
//
// Fairness and stability on a noisy 2-core VM:
// - every figure runs in PROCESSES fresh child processes (no JIT feedback, inline-cache
//   polymorphism or GC state carried over from earlier figures, as in a server running one
//   configuration; several processes because heap layout and host noise vary per process);
// - both sides get the same key strings and the same value object, and their own copy of the loop
//   function (each call site sees one cache class);
// - both are warmed up, then measured in ROUNDS short rounds; each round runs both sides back to
//   back (alternating which goes first), so a burst of interference hits both. A process reports the
//   median ops/s of each side and the median of its per-round ratios; the figure printed is the
//   median over the processes of each (robust to bursts; close to the ratio of the medians on a
//   quiet machine).
// - "vs our lru" divides an algorithm's ratio by LRU's ratio (each against lru-cache measured in the
//   same processes), i.e. our algorithm's ops/s over our LRU's with the host noise normalized out.
// Memory per item: one fresh `--expose-gc` child per side storing 1 000 000 items with distinct
// 64-byte Buffer values (allocated inside the measured window, as in reference-figures.md);
// delta of heapUsed + external after gc() (Node's `external` already includes `arrayBuffers`;
// the three deltas are printed on a `#` line).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { LRUCache } = require('lru-cache');
const engine = require('../../dist/libs/cache-engine/src/index.js');
const eviction = require('../../dist/libs/eviction/src/index.js');
const { fnv1a32 } = require('../../dist/libs/hashing/src/index.js');

const N = 100_000;
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 5);
const ROUNDS = 11;
const WARMUP_ROUNDS = 3;
const GET_OPS = 500_000;
const SET_OPS = 250_000;
const TTL_MS = 60_000;
const ALGORITHMS = ['lru', 'lfu', 'clock', 'cawolfu', 'arc'];
const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------- shared inputs (per process)

const VALUE = Buffer.alloc(64, 7);
const keys = Array.from({ length: N }, (_, i) => `key:${i}`);
const shuffled = shuffle(keys.slice());
// 4 × N distinct keys cycled by the set benchmarks: every set is a new key once the cache is full.
const setKeys = Array.from({ length: 4 * N }, (_, i) => `new:${i}`);
let sink = 0;

function shuffle(a) {
  let s = 42;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function ours(algorithm, extra = {}, ttl = 0) {
  const registry = eviction.registerArc(eviction.createDefaultEvictionRegistry());
  const c = new engine.HyperCache({
    capacity: N,
    evictionIntervalMs: 0, // proactive eviction: count never exceeds capacity, like lru-cache's max
    expirationIntervalMs: 0,
    evictionAlgorithm: algorithm,
    evictionRegistry: registry,
    ...extra,
  });
  for (const k of keys) c.set(k, VALUE, ttl);
  return c;
}

function reference(extra = {}, ttl = 0) {
  const c = new LRUCache({ max: N, ...extra });
  const opts = ttl === 0 ? undefined : { ttl };
  for (const k of keys) c.set(k, VALUE, opts);
  return c;
}

// One loop function per side, so each `cache.get`/`cache.set` call site stays monomorphic.
function oursGetLoop(cache) {
  return (ops) => {
    let hits = 0;
    for (let i = 0; i < ops; i++) if (cache.get(shuffled[i % N]) !== undefined) hits++;
    sink += hits;
  };
}

function refGetLoop(cache) {
  return (ops) => {
    let hits = 0;
    for (let i = 0; i < ops; i++) if (cache.get(shuffled[i % N]) !== undefined) hits++;
    sink += hits;
  };
}

function oursSetLoop(cache, ttl = 0) {
  let next = 0;
  return (ops) => {
    for (let i = 0; i < ops; i++) {
      cache.set(setKeys[next], VALUE, ttl);
      next = next + 1 === setKeys.length ? 0 : next + 1;
    }
  };
}

function refSetLoop(cache, ttl = 0) {
  let next = 0;
  const opts = ttl === 0 ? undefined : { ttl };
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
    set: (k, v) => shards[fnv1a32(k) & 31].set(k, v),
    get: (k) => shards[fnv1a32(k) & 31].get(k),
  };
}

/** Figure name → [label, ours loop, reference loop, ops per round] built in the child. */
function figure(name) {
  if (name === 'get-hit') return [oursGetLoop(ours('lru')), refGetLoop(reference()), GET_OPS];
  if (name === 'set-evict') return [oursSetLoop(ours('lru')), refSetLoop(reference()), SET_OPS];
  if (name === 'ttl-set') return [oursSetLoop(ours('lru', { expiry: 'absolute' }), TTL_MS), refSetLoop(reference({ ttl: TTL_MS }), TTL_MS), SET_OPS];
  if (name === 'ttl-get-hit') {
    return [oursGetLoop(ours('lru', { expiry: 'absolute' }, TTL_MS)), refGetLoop(reference({ ttl: TTL_MS }, TTL_MS)), GET_OPS];
  }
  // The server's value layout (compactValueBytes: small Buffers stored as one-byte strings, each
  // read returns a fresh Buffer), against lru-cache holding the Buffer objects.
  if (name === 'get-hit-compact') return [oursGetLoop(ours('lru', { compactValueBytes: 4096 })), refGetLoop(reference()), GET_OPS];
  if (name === 'set-evict-compact') return [oursSetLoop(ours('lru', { compactValueBytes: 4096 })), refSetLoop(reference()), SET_OPS];
  if (name === 'backend-map-get') {
    const single = new Map();
    const sharded = shardedMap();
    for (const k of keys) {
      single.set(k, VALUE);
      sharded.set(k, VALUE);
    }
    return [oursGetLoop(single), refGetLoop(sharded), GET_OPS];
  }
  const m = /^(get-hit|set-evict)-(\w+)$/.exec(name);
  if (m === null || !ALGORITHMS.includes(m[2])) throw new Error(`unknown figure ${name}`);
  return m[1] === 'get-hit'
    ? [oursGetLoop(ours(m[2])), refGetLoop(reference()), GET_OPS]
    : [oursSetLoop(ours(m[2])), refSetLoop(reference()), SET_OPS];
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

/** Child: measures one figure and writes `{"ours":…,"reference":…}` to stdout. */
function measure(name) {
  const [oursFn, refFn, ops] = figure(name);
  for (let r = 0; r < WARMUP_ROUNDS; r++) {
    rate(oursFn, ops);
    rate(refFn, ops);
  }
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
  const ratio = median(a.map((x, i) => x / b[i]));
  // `hits` keeps the get loops' results observable (no dead-code elimination).
  process.stdout.write(JSON.stringify({ ours: median(a), reference: median(b), ratio, hits: sink }));
}

/** Child: bytes per item of 1 M items with distinct 64-byte Buffer values, for one side. */
function memoryChild(side) {
  const M = 1_000_000;
  const snapshot = () => {
    globalThis.gc();
    globalThis.gc();
    return process.memoryUsage();
  };
  const ks = Array.from({ length: M }, (_, i) => `key:${i}`);
  const before = snapshot();
  let c;
  if (side === 'ours') {
    c = new engine.HyperCache({ capacity: M, evictionIntervalMs: 0, expirationIntervalMs: 0, evictionAlgorithm: 'lru' });
    for (let i = 0; i < M; i++) c.set(ks[i], Buffer.alloc(64, i & 255));
  } else {
    c = new LRUCache({ max: M });
    for (let i = 0; i < M; i++) c.set(ks[i], Buffer.alloc(64, i & 255));
  }
  globalThis.keep = c; // reachable through the second snapshot
  const after = snapshot();
  if (c.get(ks[0]) === undefined || c.get(ks[M - 1]) === undefined) throw new Error('lost items');
  const per = (field) => (after[field] - before[field]) / M;
  process.stdout.write(JSON.stringify({ heapUsed: per('heapUsed'), external: per('external'), arrayBuffers: per('arrayBuffers') }));
}

// ---------------------------------------------------------------- parent

function child(args) {
  const r = spawnSync(process.execPath, ['--expose-gc', SELF, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

function main() {
  console.log(
    `# node ${process.version}, ${N} items, ${PROCESSES} fresh processes per figure × (${WARMUP_ROUNDS} warm-up + ${ROUNDS} alternating rounds), medians; reference = lru-cache 11`,
  );
  const figures = ['get-hit', 'set-evict', 'ttl-set', 'ttl-get-hit'];
  for (const a of ALGORITHMS) figures.push(`get-hit-${a}`, `set-evict-${a}`);
  figures.push('get-hit-compact', 'set-evict-compact', 'backend-map-get');
  // BENCH_FIGURES=get-hit,set-evict runs a subset (a quick check on a busy machine).
  const only = process.env.BENCH_FIGURES?.split(',');
  if (only !== undefined) figures.splice(0, figures.length, ...figures.filter((f) => only.includes(f)));
  const results = {};
  for (const name of figures) {
    const runs = Array.from({ length: PROCESSES }, () => child(['--figure', name]));
    const x = median(runs.map((r) => r.ours));
    const y = median(runs.map((r) => r.reference));
    const ratio = median(runs.map((r) => r.ratio));
    results[name] = ratio;
    const label = name === 'backend-map-get' ? 'backend-map-get (single Map vs 32 fnv1a shards)' : name;
    console.log(`bench ${label}: ours ${fmt(x)} ops/s, reference ${fmt(y)} ops/s, ratio ${ratio.toFixed(2)}`);
  }
  const rel = (op) =>
    ALGORITHMS.filter((a) => a !== 'lru')
      .map((a) => `${a} ${(results[`${op}-${a}`] / results[`${op}-lru`]).toFixed(2)}`)
      .join(', ');
  if (only !== undefined) return;
  console.log(`# vs our lru: get-hit ${rel('get-hit')}; set-evict ${rel('set-evict')}`);
  const mo = child(['--memory', 'ours']);
  const mr = child(['--memory', 'reference']);
  const total = (m) => m.heapUsed + m.external;
  const parts = (m) => `heapUsed ${m.heapUsed.toFixed(0)} + external ${m.external.toFixed(0)} (arrayBuffers ${m.arrayBuffers.toFixed(0)})`;
  console.log(`# memory per item, 1 000 000 items incl. 64-byte Buffer values: ours ${parts(mo)}; reference ${parts(mr)}`);
  console.log(`bench memory-per-item: ours ${total(mo).toFixed(0)} B, reference ${total(mr).toFixed(0)} B, ratio ${(total(mo) / total(mr)).toFixed(2)}`);
}

if (process.argv[2] === '--figure') measure(process.argv[3]);
else if (process.argv[2] === '--memory') memoryChild(process.argv[3]);
else main();
