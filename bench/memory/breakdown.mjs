// Where a node's bytes per item go: builds the engine the way the server does (libs/node
// buildNode: HyperCache<Buffer>, the server config's engine options with HYPERCACHE_CAPACITY=0 and a
// generous HYPERCACHE_MAX_MEMORY, absolute expiry, the charged sizer) in this process and stores
// BENCH_ITEMS items, measuring heapUsed / external / RSS deltas after full GCs at each step:
//   1. the key strings alone (what every store pays for its keys);
//   2. the value Buffers alone, as the HTTP server hands them over (a 64-byte view into the
//      request's own buffer: headers + body, as Node's HTTP parser delivers a body chunk);
//   3. the engine holding both (its own cost = step 3 − steps 1 and 2 … minus what it copies).
//   node --expose-gc bench/memory/breakdown.mjs          (after npm run build)
// Env: BENCH_ITEMS (default 1 000 000), BENCH_VALUE_BYTES (64), BENCH_COMPACT (the engine's
// compactValueBytes; default the server's COMPACT_VALUE_BYTES, 0 = values kept as Buffers).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { HyperCache } = require('../../dist/libs/cache-engine/src/index.js');
const { loadServerConfig } = require('../../dist/libs/config/src/index.js');
const { chargedItemBytes, COMPACT_VALUE_BYTES } = require('../../dist/libs/node/src/build-node.js');

const items = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const valueBytes = Number(process.env.BENCH_VALUE_BYTES ?? 64);
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');

const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
function measure() {
  for (let i = 0; i < 4; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external, rss: rss() };
}
const per = (a, b) => ({ heap: (b.heap - a.heap) / items, external: (b.external - a.external) / items, rss: (b.rss - a.rss) / items });
const show = (name, d) => console.log(`${name.padEnd(44)} heap ${d.heap.toFixed(1).padStart(6)}  external ${d.external.toFixed(1).padStart(6)}  rss ${d.rss.toFixed(1).padStart(6)} B/item`);

const head = Buffer.from(`PUT /v1/cache/key:0000000 HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/octet-stream\r\ncontent-length: ${valueBytes}\r\n\r\n`, 'latin1');
/** A value the way the HTTP layer delivers it: a view of the request's bytes. */
function requestBody(i) {
  const req = Buffer.allocUnsafeSlow(head.length + valueBytes);
  head.copy(req);
  req.fill(0x76, head.length);
  req.write(String(i), head.length, 'latin1');
  return req.subarray(head.length);
}

const config = loadServerConfig({ HYPERCACHE_NODE_ID: 'breakdown', HYPERCACHE_CAPACITY: '0', HYPERCACHE_MAX_MEMORY: '64GiB' });
// As libs/node/src/build-node.ts builds it.
const engineOptions = { ...config.engine, nodeId: config.nodeId, now: Date.now, expiry: 'absolute', sizeOf: chargedItemBytes, compactValueBytes: Number(process.env.BENCH_COMPACT ?? COMPACT_VALUE_BYTES ?? 0) };

const m0 = measure();
const keys = Array.from({ length: items }, (_, i) => `key:${String(i).padStart(7, '0')}`);
const m1 = measure();
show('key strings (+ 8 B array slot)', per(m0, m1));
let values = Array.from({ length: items }, (_, i) => requestBody(i));
const m2 = measure();
show('request-body Buffers (+ 8 B array slot)', per(m1, m2));
const engine = new HyperCache(engineOptions);
for (let i = 0; i < items; i++) engine.set(keys[i], values[i]);
values = undefined;
const m3 = measure();
show('engine holding them (values array dropped)', per(m2, m3));
show('total: keys + values + engine', per(m0, m3));
const probe = engine.get(keys[items >> 1]);
if (probe === undefined || probe.length !== valueBytes) throw new Error('engine lost a value');
console.log(`# ${items} items of ${valueBytes} B, engine options: algorithm ${engineOptions.evictionAlgorithm}, capacity ${engineOptions.capacity}, maxCacheSizeBytes ${engineOptions.maxCacheSizeBytes}, compactValueBytes ${engineOptions.compactValueBytes}`);
