// bench/cluster/peer-batch: what one peer batch call costs, split into a fixed part per HTTP
// transaction and a part per operation. One real node (its dist listener, CPU 0) receives replica
// writes (`replicate: false`, 64-byte values, 1000 keys) from this process (CPU 1) through
// `HttpPeerTransport`, with C calls in flight, so batches carry about C operations. For each C it
// prints the server's and the client's CPU per batch and per operation (/proc and cpuUsage):
//   peer-batch c=32: 35450 ops/s, 32.0 ops/batch; server 320 µs/batch 10.0 µs/op; client 322 µs/batch 10.0 µs/op
// Run it under the pinned Node 24 (`npm run build` first): node bench/cluster/peer-batch.bench.mjs
// Env: BENCH_DURATION_S (5), BENCH_CONCURRENCY ("1,8,32,128"), BENCH_CPU_PROF=<dir> (profile the server).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { HttpPeerTransport } = createRequire(import.meta.url)(join(root, 'dist/libs/transport/src'));
const seconds = Number(process.env.BENCH_DURATION_S ?? 5);
const levels = (process.env.BENCH_CONCURRENCY ?? '1,8,32,128').split(',').map(Number);

let hasTaskset = true;
try {
  execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
} catch {
  hasTaskset = false;
}
if (hasTaskset) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const [api, mgmt, dist] = [await freePort(), await freePort(), await freePort()];
const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const argv = [...prof, join(root, 'dist/apps/server/src/main.js')];
const env = {
  ...process.env,
  HYPERCACHE_LOG_LEVEL: 'warn',
  HYPERCACHE_NODE_ID: 'node-1',
  HYPERCACHE_API_ADDR: `127.0.0.1:${api}`,
  HYPERCACHE_MGMT_ADDR: `127.0.0.1:${mgmt}`,
  HYPERCACHE_DIST_ADDR: `127.0.0.1:${dist}`,
  HYPERCACHE_REPLICATION: '1',
};
const server = hasTaskset ? spawn('taskset', ['-c', '0', process.execPath, ...argv], { env, stdio: 'ignore' }) : spawn(process.execPath, argv, { env, stdio: 'ignore' });
process.on('exit', () => server.kill('SIGKILL'));

const serverCpuS = () => {
  const stat = readFileSync(`/proc/${server.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

for (let i = 0; ; i++) {
  try {
    const r = await fetch(`http://127.0.0.1:${api}/healthz`);
    await r.arrayBuffer();
    if (r.ok) break;
  } catch {
    // not up yet
  }
  if (i > 1200) throw new Error('node did not start');
  await new Promise((r) => setTimeout(r, 50));
}

const transport = new HttpPeerTransport({});
const peer = { id: 'node-1', address: `127.0.0.1:${dist}` };
const value = Buffer.alloc(64, 7);
let version = Date.now() * 1000;

/** Runs `c` concurrent callers for `ms`; returns the operations done. */
async function load(c, ms) {
  let ops = 0;
  let stop = false;
  const caller = async (w) => {
    for (let i = w; !stop; i += c) {
      await transport.set(peer, { key: `bench:${i % 1000}`, value, version: ++version, origin: 'node-2', ttlMs: 0, expiresAtMs: 0, lastUpdatedMs: 0 }, false);
      ops++;
    }
  };
  const callers = Array.from({ length: c }, (_, w) => caller(w));
  await new Promise((r) => setTimeout(r, ms));
  stop = true;
  await Promise.all(callers);
  return ops;
}

try {
  for (const c of levels) {
    await load(c, 1500);
    const s0 = serverCpuS();
    const c0 = process.cpuUsage();
    const b0 = transport.batchStats.batches;
    const ops = await load(c, seconds * 1000);
    const serverUs = (serverCpuS() - s0) * 1e6;
    const u = process.cpuUsage(c0);
    const clientUs = u.user + u.system;
    const batches = transport.batchStats.batches - b0;
    const f = (x) => x.toFixed(1);
    console.log(
      `peer-batch c=${c}: ${Math.round(ops / seconds)} ops/s, ${f(ops / batches)} ops/batch; ` +
        `server ${Math.round(serverUs / batches)} µs/batch ${f(serverUs / ops)} µs/op; client ${Math.round(clientUs / batches)} µs/batch ${f(clientUs / ops)} µs/op`,
    );
  }
} finally {
  await transport.close();
  server.kill('SIGTERM');
}
