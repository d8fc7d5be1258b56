// A/B of the client API GET (or PUT) path between two builds, robust to a busy machine.
//   BENCH_BEFORE=/path/to/other/checkout [BENCH_AUTH_TOKEN=t] [ROUNDS=8] [SECS=2] [METHOD=GET|PUT] node bench/api/api-ab.mjs
// Starts the other checkout's built server ("before"), this checkout's ("after") and the raw
// Fastify reference at once, all pinned to CPU 0; wrk (CPU 1) hits them in rotating order in short
// bursts. Prints the median per-round throughput ratio vs the reference, and the server CPU time
// per request (utime+stime from /proc over the requests wrk counted): when other jobs share the CPUs,
// throughput swings by 2-3x between bursts but CPU per request stays comparable, so the CPU ratio
// (reference µs / ours µs) is the figure to quote. Both builds must exist (`npm run build` in each).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const after = join(here, '../..');
const before = process.env.BENCH_BEFORE;
if (!before) throw new Error('set BENCH_BEFORE to the other checkout (built)');
const token = process.env.BENCH_AUTH_TOKEN || '';
const rounds = Number(process.env.ROUNDS ?? 8);
const secs = Number(process.env.SECS ?? 2);
const method = (process.env.METHOD ?? 'GET').toUpperCase();
const headers = token ? { authorization: `Bearer ${token}` } : {};
const cpuTicks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
};
const free = () => new Promise((r) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const kids = [];
const pids = {};
function launch(args, env, port) {
  const k = spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: 'ignore', env: { ...process.env, ...env } });
  kids.push(k);
  pids[port] = k.pid;
}
async function startOurs(root) {
  const [a, m, d] = [await free(), await free(), await free()];
  launch([join(root, 'dist/apps/server/src/main.js')], {
    HYPERCACHE_NODE_ID: 'bench', HYPERCACHE_API_ADDR: `127.0.0.1:${a}`, HYPERCACHE_MGMT_ADDR: `127.0.0.1:${m}`,
    HYPERCACHE_DIST_ADDR: `127.0.0.1:${d}`, HYPERCACHE_LOG_LEVEL: 'warn', ...(token ? { HYPERCACHE_AUTH_TOKEN: token } : {}),
  }, a);
  return a;
}
async function startRef() {
  const p = await free();
  launch([join(here, 'reference-server.mjs'), String(p)], {}, p);
  return p;
}
async function up(p) {
  for (let i = 0; i < 200; i++) {
    try { await (await fetch(`http://127.0.0.1:${p}/v1/cache/__probe`, { headers })).arrayBuffer(); return; } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  throw new Error(`server on ${p} did not start`);
}
async function seed(p) {
  for (let i = 0; i < 1000; i++) await (await fetch(`http://127.0.0.1:${p}/v1/cache/k${i}`, { method: 'PUT', body: 'a'.repeat(64), headers })).arrayBuffer();
}
function wrk(p, s) {
  const out = execFileSync('taskset', ['-c', '1', 'wrk', '-t1', '-c50', `-d${s}s`, '-s', join(here, method === 'PUT' ? 'wrk-put.lua' : 'wrk-get.lua'), `http://127.0.0.1:${p}`], {
    encoding: 'utf8', env: { ...process.env, BENCH_KEYS: '1000', BENCH_VALUE_BYTES: '64', BENCH_AUTH_TOKEN: token },
  });
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(out);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), n: Number(/(\d+) requests in/.exec(out)[1]) };
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const ports = { before: await startOurs(before), after: await startOurs(after), ref: await startRef() };
  for (const p of Object.values(ports)) { await up(p); await seed(p); wrk(p, 3); }
  const names = Object.keys(ports);
  const ratio = { before: [], after: [] };
  const cpuUs = { before: [], after: [], ref: [] };
  for (let i = 0; i < rounds; i++) {
    const rps = {};
    for (const n of names.slice(i % 3).concat(names.slice(0, i % 3))) {
      const t0 = cpuTicks(pids[ports[n]]);
      const w = wrk(ports[n], secs);
      rps[n] = w.rps;
      cpuUs[n].push(((cpuTicks(pids[ports[n]]) - t0) * 10_000) / w.n); // 1 tick = 10 ms
    }
    ratio.before.push(rps.before / rps.ref);
    ratio.after.push(rps.after / rps.ref);
  }
  const mode = token ? 'bearer token' : 'open';
  console.log(`# ${rounds} rounds × ${secs}s, auth ${mode}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`);
  console.log(`bench api-${method.toLowerCase()}-cpu (${mode}): before ${med(cpuUs.before).toFixed(1)} µs, after ${med(cpuUs.after).toFixed(1)} µs, reference ${med(cpuUs.ref).toFixed(1)} µs; ratio before ${(med(cpuUs.ref) / med(cpuUs.before)).toFixed(2)}, after ${(med(cpuUs.ref) / med(cpuUs.after)).toFixed(2)}`);
  console.log(`bench api-${method.toLowerCase()} (${mode}): throughput ratio before ${med(ratio.before).toFixed(2)}, after ${med(ratio.after).toFixed(2)}`);
} finally {
  for (const k of kids) k.kill('SIGKILL');
}
