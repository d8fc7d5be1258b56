// Figures redis-api-* of `npm run bench:redis` (bench/redis/index.mjs; BENCH_ONLY=api runs only
// these), issue 15 server half. Against the harness's redis-server:
//   1. throughput of our node over Redis vs our node in memory (GET hit, PUT), same wrk load;
//   2. CPU µs per request of our node over Redis (from /proc/<pid>/stat during the load) vs the
//      CPU µs per request redis-server itself spends under `redis-benchmark` at the same
//      concurrency (the cost of the store alone; lower is better, the ratio shows our overhead).
// Both nodes run on CPU 0 (with redis-server), wrk and redis-benchmark on CPU 1 when `taskset`
// exists. Prints `bench <name>: ours X, reference Y, ratio Z`.
// Env: BENCH_API_DURATION_S (default 5), BENCH_API_CONNECTIONS (50), BENCH_API_ROUNDS (3),
// BENCH_VALUE_BYTES (64).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, hasTaskset, median } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const duration = Number(process.env.BENCH_API_DURATION_S ?? 5);
const connections = Number(process.env.BENCH_API_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_API_ROUNDS ?? 3);
const valueBytes = Number(process.env.BENCH_VALUE_BYTES ?? 64);
const keys = 1000;
const value = Buffer.alloc(valueBytes, 0x61);
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const pinned = (cpu, cmd, args) => (hasTaskset ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args]);

/** CPU seconds (user + system) the process `pid` has used so far. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function startNode(name, env) {
  const [api, mgmt, dist] = [await freePort(), await freePort(), await freePort()];
  const [cmd, args] = pinned(0, process.execPath, [join(root, 'dist/apps/server/src/main.js')]);
  const child = spawn(cmd, args, {
    env: { ...process.env, HYPERCACHE_NODE_ID: name, HYPERCACHE_API_ADDR: `127.0.0.1:${api}`, HYPERCACHE_MGMT_ADDR: `127.0.0.1:${mgmt}`, HYPERCACHE_DIST_ADDR: `127.0.0.1:${dist}`, HYPERCACHE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 400; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${api}/v1/cache/__probe`, { method: 'PUT', body: 'x' });
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  for (let i = 0; i < keys; i++) await (await fetch(`http://127.0.0.1:${api}/v1/cache/k${i}`, { method: 'PUT', body: value })).arrayBuffer();
  return { port: api, pid: child.pid, child };
}

/** One wrk run; resolves with req/s and the request count. */
function wrk(port, method, seconds) {
  const script = join(root, 'bench/api', method === 'PUT' ? 'wrk-put.lua' : 'wrk-get.lua');
  const [cmd, args] = pinned(1, 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', script, `http://127.0.0.1:${port}`]);
  const out = execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, BENCH_KEYS: String(keys), BENCH_VALUE_BYTES: String(valueBytes) } });
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`${method} on ${port}: ${out}`);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), requests: Number(/(\d+) requests in/.exec(out)[1]) };
}

/** wrk against `node` while measuring its CPU: req/s and CPU µs per request. */
function measured(node, method, seconds = duration) {
  const before = cpuSeconds(node.pid);
  const r = wrk(node.port, method, seconds);
  return { rps: r.rps, cpuUs: ((cpuSeconds(node.pid) - before) * 1e6) / r.requests };
}

/** redis-benchmark GET/SET at the same concurrency: redis-server's own CPU µs per request. */
function redisBenchmark(redis, command) {
  const n = 200_000;
  const before = cpuSeconds(redis.pid);
  const [cmd, args] = pinned(1, 'redis-benchmark', ['-p', String(redis.port), '-t', command, '-n', String(n), '-c', String(connections), '-d', String(valueBytes), '-r', String(keys), '-q']);
  const out = execFileSync(cmd, args, { encoding: 'utf8' });
  const rps = Number(/([\d.]+) requests per second/.exec(out)?.[1] ?? NaN);
  return { rps, cpuUs: ((cpuSeconds(redis.pid) - before) * 1e6) / n };
}

/** The server's pid, from `INFO server` (CPU accounting). */
function redisPid(port) {
  const info = execFileSync('redis-cli', ['-p', String(port), 'info', 'server'], { encoding: 'utf8' });
  return Number(/process_id:(\d+)/.exec(info)[1]);
}

/** @param {{ redis: { port: number; url: string } }} ctx */
export async function run(ctx) {
  const redis = { port: ctx.redis.port, pid: redisPid(ctx.redis.port) };
  const overRedis = await startNode('bench-redis', { HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: ctx.redis.url, HYPERCACHE_REDIS_KEY_PREFIX: 'bench:api:' });
  const inMemory = await startNode('bench-memory', {});
  try {
    const warmS = Math.max(2, Math.round(duration / 3));
    for (const node of [overRedis, inMemory]) for (const m of ['GET', 'PUT']) wrk(node.port, m, warmS);
    const r = { GET: { redis: [], memory: [], cpu: [], ref: [] }, PUT: { redis: [], memory: [], cpu: [], ref: [] } };
    for (let i = 0; i < rounds; i++) {
      for (const method of ['GET', 'PUT']) {
        const o = measured(overRedis, method);
        r[method].redis.push(o.rps);
        r[method].cpu.push(o.cpuUs);
        r[method].memory.push(measured(inMemory, method).rps);
        r[method].ref.push(redisBenchmark(redis, method === 'GET' ? 'get' : 'set').cpuUs);
      }
    }
    console.log(`# redis-api: ${rounds} round(s) × ${duration}s, ${connections} connections, ${valueBytes}-byte values, wrk; taskset ${hasTaskset ? 'nodes + redis-server CPU0 / wrk + redis-benchmark CPU1' : 'unavailable'}; CPU from /proc (CLK_TCK ${CLK_TCK})`);
    for (const method of ['GET', 'PUT']) {
      const m = method.toLowerCase();
      console.log(`# redis-api-${m} rounds (over redis / in memory req/s): ${r[method].redis.map((x, k) => `${Math.round(x)}/${Math.round(r[method].memory[k])}`).join(', ')}`);
      const [o, f] = [median(r[method].redis), median(r[method].memory)];
      console.log(`bench redis-api-${m}: ours ${Math.round(o)} req/s over redis, reference ${Math.round(f)} req/s in memory, ratio ${(o / f).toFixed(2)}`);
      const [c, rc] = [median(r[method].cpu), median(r[method].ref)];
      console.log(`bench redis-api-${m}-cpu: ours ${c.toFixed(1)} µs/req (node over redis), reference ${rc.toFixed(1)} µs/req (redis-server under redis-benchmark ${m === 'get' ? 'GET' : 'SET'}), ratio ${(c / rc).toFixed(2)}`);
    }
  } finally {
    overRedis.child.kill('SIGTERM');
    inMemory.child.kill('SIGTERM');
  }
}
