// bench/api (`npm run bench:api`, issue 18): the client API's GET-hit and PUT against raw Fastify +
// Map and Redis, side by side in one run. Subjects, every server pinned to CPU 0 and every load
// generator to CPU 1 (taskset):
//   ours        the built server (dist/apps/server/src/main.js), open mode, default config;
//   ours-token  the same server requiring a bearer token, every request sending it (GET only);
//   fastify     bench/api/reference-server.mjs (raw Fastify + Map, the same routes and answers);
//   redis       redis-server started here on a free port, driven by redis-benchmark GET / SET.
// HTTP load is `wrk -t1 -c<connections> --latency` (bench/api/wrk-get.lua, wrk-put.lua) over 1000
// seeded keys with <value-bytes> values; redis-benchmark runs `-c <connections> -d <value-bytes>
// -r 1000`, no pipelining. Each round runs every subject once per method, the order rotating
// round by round; figures are medians over rounds, ratios the median of the per-round ratios.
// Server CPU per request = the server process's /proc/<pid>/stat utime + stime over the measured
// run ÷ the requests of that run. Prints (besides `#` detail lines):
//   bench api-get: ours X req/s, reference Y req/s, ratio Z        (reference = raw Fastify)
//   bench api-put: …                                               (reference = raw Fastify)
//   bench api-token-get: ours X req/s, reference Y req/s, ratio Z  (reference = our open GET)
//   bench api-get-cpu / api-put-cpu: ours X µs/req, reference Y µs/req, ratio Z  (reference = Redis)
//   bench api-get-p50 / -p99, api-put-p50 / -p99: ours X ms, reference Y ms, ratio Z (raw Fastify)
// Env: BENCH_DURATION_S (5), BENCH_ROUNDS (4), BENCH_CONNECTIONS (50), BENCH_VALUE_BYTES (64),
// BENCH_METHODS (GET,PUT), BENCH_AUTH_TOKEN (the token subject's token; default bench-token),
// BENCH_FLOOR=1 (adds `node-http`, bare node:http + Map, bench/api/node-http-server.mjs: the
// floor any Node server pays, printed as `#` lines against Redis and raw Fastify).
// Diagnostics (docs/benchmarks.md, "The PUT figure's drift"): BENCH_OURS_NODE_FLAGS (extra node
// flags for the open-mode `ours` server only, e.g. `--trace-gc`; its stdout goes to
// <BENCH_PROFILE_DIR or tmpdir>/ours.out), BENCH_PROFILE_DIR=<dir> (a CPU profile of `ours` for
// every run, taken through the inspector: <dir>/<nn>-<method>-<requests>.cpuprofile; summarise
// with `node bench/api/profile-table.mjs <dir>`).
// Defaults: 4 rounds × 7 runs × 5 s plus warm-up ≈ 2.8 minutes.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectorSession } from '../inspector.mjs';
import { ensureTools, freePort, hasTaskset, median, pinned, redisBenchmark, startRedis, wrk } from './load.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const duration = Number(process.env.BENCH_DURATION_S ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const valueBytes = Number(process.env.BENCH_VALUE_BYTES ?? 64);
const methods = (process.env.BENCH_METHODS ?? 'GET,PUT').split(',').map((m) => m.trim().toUpperCase());
const token = process.env.BENCH_AUTH_TOKEN || 'bench-token';
const floor = process.env.BENCH_FLOOR === '1';
const keys = 1000;
const value = Buffer.alloc(valueBytes, 0x61);
const load = { connections, keys, valueBytes };

ensureTools();
if (hasTaskset) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

function launch(args, env = {}, stdout = 'ignore') {
  const [cmd, argv] = pinned(0, process.execPath, args);
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', stdout, 'inherit'] });
  children.add(child);
  return child;
}

async function waitUp(port, headers) {
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/v1/cache/__probe`, { headers });
      await r.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`server on ${port} did not start`);
}

async function seed(port, headers) {
  for (let i = 0; i < keys; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/v1/cache/k${i}`, { method: 'PUT', body: value, headers });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`seeding ${port}: ${r.status}`);
  }
}

const profileDir = process.env.BENCH_PROFILE_DIR;
const oursFlags = (process.env.BENCH_OURS_NODE_FLAGS ?? '').split(' ').filter(Boolean);

async function startOurs(name, withToken) {
  const [api, mgmt, dist] = [await freePort(), await freePort(), await freePort()];
  // The diagnostics apply to the open-mode server only; the token server stays as shipped.
  const diagnosed = !withToken && (profileDir !== undefined || oursFlags.length > 0);
  const inspect = diagnosed && profileDir ? await freePort() : undefined;
  const outDir = profileDir ?? tmpdir();
  if (diagnosed) {
    mkdirSync(outDir, { recursive: true });
    console.log(`# ours: node flags ${[...oursFlags].join(' ') || '(none)'}; stdout in ${join(outDir, 'ours.out')}${profileDir ? `; CPU profiles in ${profileDir}` : ''}`);
  }
  const flags = diagnosed ? [...oursFlags, ...(inspect ? [`--inspect=127.0.0.1:${inspect}`] : [])] : [];
  const child = launch([...flags, join(root, 'dist/apps/server/src/main.js')], {
    HYPERCACHE_NODE_ID: name,
    HYPERCACHE_API_ADDR: `127.0.0.1:${api}`,
    HYPERCACHE_MGMT_ADDR: `127.0.0.1:${mgmt}`,
    HYPERCACHE_DIST_ADDR: `127.0.0.1:${dist}`,
    HYPERCACHE_LOG_LEVEL: 'warn',
    ...(withToken ? { HYPERCACHE_AUTH_TOKEN: token } : {}),
  }, diagnosed ? openSync(join(outDir, 'ours.out'), 'w') : 'ignore');
  const headers = withToken ? { authorization: `Bearer ${token}` } : {};
  await waitUp(api, headers);
  await seed(api, headers);
  const inspector = inspect ? await inspectorSession(inspect) : undefined;
  if (inspector) {
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 200 });
  }
  return { kind: 'http', port: api, pid: child.pid, token: withToken ? token : '', inspector, runs: 0 };
}

async function startFastify(script = 'reference-server.mjs') {
  const port = await freePort();
  const child = launch([join(here, script), String(port)]);
  await waitUp(port, {});
  await seed(port, {});
  return { kind: 'http', port, pid: child.pid, token: '' };
}

async function startRedisSubject() {
  const r = await startRedis();
  children.add(r.child);
  // Seed the keyspace redis-benchmark's GET reads (key:000000000000 … key:000000000999).
  redisBenchmark(r, 'set', { ...load, requests: keys * 20 });
  // The first GET run sizes later runs to about `duration` seconds each.
  return { kind: 'redis', port: r.port, pid: r.pid, requests: 20_000, stop: r.stop };
}

/** One measured run of `subject` for `method`, `seconds` long (redis: as many requests as ≈ that long). */
async function run(subject, method, seconds = duration) {
  if (subject.inspector) {
    await subject.inspector.send('Profiler.start');
    const r = wrk(subject, method, { ...load, seconds, token: subject.token });
    const { profile } = await subject.inspector.send('Profiler.stop');
    const file = `${String(subject.runs++).padStart(2, '0')}-${method}-${r.requests}.cpuprofile`;
    writeFileSync(join(profileDir, file), JSON.stringify(profile));
    return r;
  }
  if (subject.kind === 'http') return wrk(subject, method, { ...load, seconds, token: subject.token });
  const r = redisBenchmark(subject, method === 'GET' ? 'get' : 'set', { ...load, requests: subject.requests });
  subject.requests = Math.max(10_000, Math.round(r.rps * seconds));
  return r;
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
const rotate = (xs, k) => xs.slice(k % xs.length).concat(xs.slice(0, k % xs.length));
const fmt1 = (x) => x.toFixed(1);
const fmt2 = (x) => x.toFixed(2);

const subjects = {
  ours: await startOurs('bench', false),
  ...(methods.includes('GET') ? { 'ours-token': await startOurs('bench-token', true) } : {}),
  fastify: await startFastify(),
  ...(floor ? { 'node-http': await startFastify('node-http-server.mjs') } : {}),
  redis: await startRedisSubject(),
};
const load0 = loadavg();
const warmS = Math.max(2, Math.round(duration / 3));
for (const m of methods) for (const [name, s] of Object.entries(subjects)) if (m === 'GET' || name !== 'ours-token') await run(s, m, warmS);

/** results[method][subject] = [{ rps, p50, p99, cpuUs }] per round. */
const results = {};
for (let r = 0; r < rounds; r++) {
  for (const m of methods) {
    results[m] ??= {};
    const names = Object.keys(subjects).filter((n) => m === 'GET' || n !== 'ours-token');
    for (const name of rotate(names, r)) (results[m][name] ??= []).push(await run(subjects[name], m));
  }
}

const med = (m, name, field) => median(results[m][name].map((x) => x[field]));
/** Median over rounds of the per-round ratio a/b of `field`. */
const ratio = (m, a, b, field) => median(results[m][a].map((x, i) => x[field] / results[m][b][i][field]));

console.log(`# bench:api: ${rounds} round(s) × ${duration}s per subject, ${connections} connections, ${valueBytes}-byte values, ${keys} keys; taskset ${hasTaskset ? 'servers CPU0 / wrk + redis-benchmark CPU1' : 'unavailable'}; load average ${load0} → ${loadavg()}`);
for (const m of methods) {
  for (const name of Object.keys(results[m])) {
    const rs = results[m][name];
    console.log(`# ${m} ${name}: req/s ${rs.map((x) => Math.round(x.rps)).join(' / ')}; CPU µs/req ${rs.map((x) => fmt1(x.cpuUs)).join(' / ')}; p50 ${fmt2(med(m, name, 'p50'))} ms, p99 ${fmt2(med(m, name, 'p99'))} ms`);
  }
}
for (const m of methods) {
  const lm = m.toLowerCase();
  console.log(`bench api-${lm}: ours ${Math.round(med(m, 'ours', 'rps'))} req/s, reference ${Math.round(med(m, 'fastify', 'rps'))} req/s, ratio ${fmt2(ratio(m, 'ours', 'fastify', 'rps'))}`);
  if (m === 'GET') {
    console.log(`bench api-token-get: ours ${Math.round(med(m, 'ours-token', 'rps'))} req/s (bearer token), reference ${Math.round(med(m, 'ours', 'rps'))} req/s (open), ratio ${fmt2(ratio(m, 'ours-token', 'ours', 'rps'))}`);
  }
  console.log(`bench api-${lm}-cpu: ours ${fmt1(med(m, 'ours', 'cpuUs'))} µs/req, reference ${fmt1(med(m, 'redis', 'cpuUs'))} µs/req (redis-server), ratio ${fmt2(ratio(m, 'ours', 'redis', 'cpuUs'))}`);
  console.log(`# api-${lm}-cpu vs raw Fastify: ours ${fmt1(med(m, 'ours', 'cpuUs'))} µs/req, raw Fastify ${fmt1(med(m, 'fastify', 'cpuUs'))} µs/req, ratio ${fmt2(ratio(m, 'ours', 'fastify', 'cpuUs'))}; raw Fastify vs Redis ${fmt2(ratio(m, 'fastify', 'redis', 'cpuUs'))}`);
  if (floor) {
    console.log(`# api-${lm}-cpu floor: bare node:http + Map ${fmt1(med(m, 'node-http', 'cpuUs'))} µs/req; vs Redis ${fmt2(ratio(m, 'node-http', 'redis', 'cpuUs'))}, vs raw Fastify ${fmt2(ratio(m, 'node-http', 'fastify', 'cpuUs'))}, ours vs it ${fmt2(ratio(m, 'ours', 'node-http', 'cpuUs'))}`);
  }
  for (const p of ['p50', 'p99']) {
    console.log(`bench api-${lm}-${p}: ours ${fmt2(med(m, 'ours', p))} ms, reference ${fmt2(med(m, 'fastify', p))} ms, ratio ${fmt2(ratio(m, 'ours', 'fastify', p))}`);
  }
}
subjects.redis.stop();
// An inspector session left open would keep the server waiting for its debugger on SIGTERM.
subjects.ours.inspector?.close();
for (const c of children) c.kill('SIGTERM');
