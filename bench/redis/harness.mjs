// Shared harness of `npm run bench:redis` (bench/redis/index.mjs): the redis-server under test,
// CPU pinning, closed-loop rate measurement and the side-by-side figure printer. Figure modules
// (engine.mjs, …) import from here; each exports `run(ctx)`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
/** ioredis, as the libs load it. */
export const Redis = require('ioredis');

/** Rounds per figure (each round runs every subject once, alternating which goes first). */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/** Duration of one subject's run in a round, ms. */
export const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2_000);
/** Concurrent callers (closed loop) per subject. */
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

function has(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether `taskset` can pin processes (redis-server on CPU0, the load on CPU1). */
export const hasTaskset = has('taskset', ['-p', String(process.pid)]);

/** Pins this process (the load generator / clients) to CPU1 when possible. */
export function pinSelf() {
  if (hasTaskset) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/** Starts a redis-server (no persistence) pinned to CPU0; resolves with `{ port, url, stop }` once it answers PING. */
export async function startRedisServer() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const child = hasTaskset ? spawn('taskset', ['-c', '0', 'redis-server', ...args], { stdio: 'ignore' }) : spawn('redis-server', args, { stdio: 'ignore' });
  const stop = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  for (let i = 0; ; i++) {
    const c = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.ping();
      c.disconnect();
      break;
    } catch {
      c.disconnect();
      if (i > 400) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return { port, url: `redis://127.0.0.1:${port}`, stop };
}

/** Client CPU µs per op of the last {@link rate} run (user + system of this process). */
export let lastCpuUsPerOp = 0;

/** Closed-loop rate of `op(i)` over `ms` with `callers` concurrent callers, ops/s. */
export async function rate(op, ms, callers, stride = 7919) {
  let ops = 0;
  const cpu0 = process.cpuUsage();
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      let i = c * stride;
      while (performance.now() < end) {
        await op(i++);
        ops++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  lastCpuUsPerOp = (cpu.user + cpu.system) / Math.max(ops, 1);
  return (ops * 1000) / ms;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const fmt = (n) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');

/**
 * One figure: a warm-up run per subject, then ROUNDS rounds running both back to back
 * (alternating which goes first); prints the per-round figures and
 * `bench <name>: ours X ops/s, reference Y ops/s, ratio Z` (medians; ratio = median of the
 * per-round ratios).
 */
export async function figure(name, oursOp, refOp, { ms = ROUND_MS, callers = CONCURRENCY } = {}) {
  await rate(oursOp, ms / 2, callers);
  await rate(refOp, ms / 2, callers);
  const a = [];
  const b = [];
  const r = [];
  const ca = [];
  const cb = [];
  for (let round = 0; round < ROUNDS; round++) {
    let x, y;
    if (round % 2 === 0) {
      x = await rate(oursOp, ms, callers);
      ca.push(lastCpuUsPerOp);
      y = await rate(refOp, ms, callers);
      cb.push(lastCpuUsPerOp);
    } else {
      y = await rate(refOp, ms, callers);
      cb.push(lastCpuUsPerOp);
      x = await rate(oursOp, ms, callers);
      ca.push(lastCpuUsPerOp);
    }
    a.push(x);
    b.push(y);
    r.push(x / y);
  }
  console.log(`# ${name} rounds: ${a.map((x, k) => `${fmt(x)}/${fmt(b[k])}`).join(', ')}`);
  console.log(`# ${name} client CPU per op: ours ${median(ca).toFixed(1)} µs, reference ${median(cb).toFixed(1)} µs`);
  console.log(`bench ${name}: ours ${fmt(median(a))} ops/s, reference ${fmt(median(b))} ops/s, ratio ${median(r).toFixed(2)}`);
  return { ours: median(a), reference: median(b), ratio: median(r) };
}
