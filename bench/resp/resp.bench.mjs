// bench/resp: our RESP listener against Debian's redis-server, in one run, and our RESP GET
// against our HTTP GET on the same node. Servers are pinned to CPU 0, redis-benchmark / wrk to
// CPU 1 (taskset); 50 connections, 64-byte values, keyspace of 1 000 keys; subjects alternate per
// round and each figure is the median of the rounds. Prints one line per figure:
//   bench <name>: ours X req/s, reference Y req/s, ratio Z
// Env: BENCH_REQUESTS (redis-benchmark -n, default 100000), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50),
// BENCH_VALUE_BYTES (64), BENCH_DURATION_S (wrk seconds, 5), BENCH_PIPELINE (16).
import { execFileSync, spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const requests = Number(process.env.BENCH_REQUESTS ?? 100_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const valueBytes = Number(process.env.BENCH_VALUE_BYTES ?? 64);
const seconds = Number(process.env.BENCH_DURATION_S ?? 5);
const pipeline = Number(process.env.BENCH_PIPELINE ?? 16);
const keys = 1000;

const has = (cmd, args) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch (e) {
    return e.status !== undefined && e.status !== 127 && e.code !== 'ENOENT';
  }
};
const hasTaskset = has('taskset', ['-p', String(process.pid)]);
for (const tool of ['redis-server', 'redis-benchmark', 'wrk']) {
  if (!has(tool, ['--version'])) {
    console.error(`bench:resp needs ${tool} (apt-get install -y redis-server redis-tools wrk)`);
    process.exit(1);
  }
}
const pinned = (cpu, cmd, args) => (hasTaskset ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args]);

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitPort(port) {
  for (let i = 0; i < 600; i++) {
    const ok = await new Promise((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => {
        s.end();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

async function startRedis() {
  const port = await freePort();
  const [cmd, args] = pinned(0, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no']);
  const child = spawn(cmd, args, { stdio: 'ignore' });
  await waitPort(port);
  return { port, child };
}

async function startOurs() {
  const [api, mgmt, dist, resp] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const [cmd, args] = pinned(0, process.execPath, [join(root, 'dist/apps/server/src/main.js')]);
  const child = spawn(cmd, args, {
    env: {
      ...process.env,
      HYPERCACHE_NODE_ID: 'bench',
      HYPERCACHE_API_ADDR: `127.0.0.1:${api}`,
      HYPERCACHE_MGMT_ADDR: `127.0.0.1:${mgmt}`,
      HYPERCACHE_DIST_ADDR: `127.0.0.1:${dist}`,
      HYPERCACHE_RESP_ADDR: `127.0.0.1:${resp}`,
      HYPERCACHE_REPLICATION: '1',
      HYPERCACHE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitPort(resp);
  await waitPort(api);
  return { port: resp, api, child };
}

/** redis-benchmark on CPU 1; returns req/s of each test. */
function redisBenchmark(port, tests, p) {
  const argv = ['-h', '127.0.0.1', '-p', String(port), '-c', String(connections), '-n', String(requests), '-d', String(valueBytes), '-r', String(keys), '-P', String(p), '-t', tests, '--csv'];
  const [cmd, args] = pinned(1, 'redis-benchmark', argv);
  const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (/ERR|error/i.test(out)) throw new Error(`redis-benchmark on ${port}: ${out}`);
  const rps = {};
  for (const m of out.matchAll(/"(SET|GET)","([\d.]+)"/g)) rps[m[1]] = Number(m[2]);
  return rps;
}

/** wrk GET on our HTTP API (bench/api's script) on CPU 1; req/s. */
function wrkGet(port) {
  const argv = ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', join(root, 'bench/api/wrk-get.lua'), `http://127.0.0.1:${port}`];
  const [cmd, args] = pinned(1, 'wrk', argv);
  const out = execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, BENCH_KEYS: String(keys), BENCH_VALUE_BYTES: String(valueBytes), BENCH_AUTH_TOKEN: '' } });
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`wrk on ${port}: ${out}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
}

/** redis-benchmark GET against keys named as wrk-get.lua reads them (k0 … k999), for the RESP vs HTTP line. */
function respGetSameKeys(port) {
  const argv = ['-h', '127.0.0.1', '-p', String(port), '-c', String(connections), '-n', String(requests), '-P', '1', '--csv', 'GET', `k${Math.floor(keys / 2)}`];
  const [cmd, args] = pinned(1, 'redis-benchmark', argv);
  const out = execFileSync(cmd, args, { encoding: 'utf8' });
  return Number(/"GET k\d+","([\d.]+)"/.exec(out)?.[1] ?? /"[^"]*","([\d.]+)"/.exec(out)[1]);
}

async function seedHttp(apiPort) {
  const value = Buffer.alloc(valueBytes, 0x61);
  for (let i = 0; i < keys; i++) {
    const r = await fetch(`http://127.0.0.1:${apiPort}/v1/cache/k${i}`, { method: 'PUT', body: value });
    await r.arrayBuffer();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => n.toFixed(0);

const ours = await startOurs();
const redis = await startRedis();
const samples = { get: { ours: [], ref: [] }, set: { ours: [], ref: [] }, getP: { ours: [], ref: [] }, setP: { ours: [], ref: [] }, respVsHttp: { ours: [], ref: [] } };
try {
  await seedHttp(ours.api);
  // Warm-up (JIT, key space) on both subjects.
  redisBenchmark(ours.port, 'set,get', 1);
  redisBenchmark(redis.port, 'set,get', 1);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['ours', 'ref'] : ['ref', 'ours'];
    for (const who of order) {
      const port = who === 'ours' ? ours.port : redis.port;
      const plain = redisBenchmark(port, 'set,get', 1);
      const piped = redisBenchmark(port, 'set,get', pipeline);
      samples.set[who].push(plain.SET);
      samples.get[who].push(plain.GET);
      samples.setP[who].push(piped.SET);
      samples.getP[who].push(piped.GET);
    }
    const httpFirst = round % 2 === 1;
    if (httpFirst) samples.respVsHttp.ref.push(wrkGet(ours.api));
    samples.respVsHttp.ours.push(respGetSameKeys(ours.port));
    if (!httpFirst) samples.respVsHttp.ref.push(wrkGet(ours.api));
  }
  const line = (name, s, unit, target) => {
    const o = median(s.ours);
    const r = median(s.ref);
    const ratio = o / r;
    const t = target === undefined ? '' : ` (target ≥ ${target}: ${ratio >= target ? 'met' : 'missed'})`;
    console.log(`bench ${name}: ours ${fmt(o)} ${unit}, reference ${fmt(r)} ${unit}, ratio ${ratio.toFixed(2)}${t}`);
  };
  line('resp-get', samples.get, 'req/s', 0.7);
  line('resp-set', samples.set, 'req/s', 0.7);
  line(`resp-get-P${pipeline}`, samples.getP, 'req/s', 0.15);
  line(`resp-set-P${pipeline}`, samples.setP, 'req/s', 0.15);
  line('resp-get-vs-http-get', samples.respVsHttp, 'req/s');
  console.log(`# ${rounds} rounds, ${connections} connections, ${valueBytes}-byte values, -n ${requests}, load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  ours.child.kill('SIGTERM');
  redis.child.kill('SIGTERM');
}
