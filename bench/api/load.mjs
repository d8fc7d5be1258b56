// Load tools of bench/api (api.bench.mjs): the Debian tools it needs (installed with apt-get when
// missing), CPU pinning, free ports, a server's CPU time from /proc, one wrk run and one
// redis-benchmark run, each measured as req/s, p50/p99 and the server's CPU µs per request.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function runs(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch (e) {
    // `wrk --version` exits 1 after printing its version; a missing binary is ENOENT.
    return e.code !== 'ENOENT' && e.status !== 127 && e.status !== undefined;
  }
}

/** Installs wrk / redis-server / redis-benchmark with apt-get when missing (as .ci/run does); throws when that fails. */
export function ensureTools() {
  const wanted = { wrk: 'wrk', 'redis-server': 'redis-server', 'redis-benchmark': 'redis-tools' };
  const missing = [...new Set(Object.keys(wanted).filter((t) => !runs(t, ['--version'])).map((t) => wanted[t]))];
  if (missing.length === 0) return;
  console.log(`# installing ${missing.join(' ')} (apt-get)`);
  try {
    execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`], { stdio: 'inherit' });
  } catch {
    throw new Error(`bench:api needs ${missing.join(', ')}: apt-get install -y ${missing.join(' ')}`);
  }
}

/** Whether `taskset` can pin (servers on CPU 0, wrk / redis-benchmark on CPU 1). */
export const hasTaskset = runs('taskset', ['-p', String(process.pid)]);

/** `[cmd, args]` running `cmd` pinned to `cpu` when taskset exists (taskset execs: same pid). */
export const pinned = (cpu, cmd, args) => (hasTaskset ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args]);

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds (user + system) process `pid` has used so far (/proc/<pid>/stat utime + stime). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000 };
function wrkLatencyMs(out, pct) {
  const m = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
  return m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
}

/**
 * One wrk run (`-t1 -c<connections> --latency`, pinned to CPU 1) against `server` ({ port, pid }),
 * with bench/api/wrk-get.lua or wrk-put.lua. Returns { rps, p50, p99 (ms), cpuUs (server CPU µs
 * per request over the run) }. Throws on any non-2xx answer or socket error.
 */
export function wrk(server, method, { seconds, connections, keys, valueBytes, token = '' }) {
  const script = join(here, method === 'PUT' ? 'wrk-put.lua' : 'wrk-get.lua');
  const [cmd, args] = pinned(1, 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, `http://127.0.0.1:${server.port}`]);
  const cpu0 = cpuSeconds(server.pid);
  const out = execFileSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, BENCH_KEYS: String(keys), BENCH_VALUE_BYTES: String(valueBytes), BENCH_AUTH_TOKEN: token },
  });
  const cpu = cpuSeconds(server.pid) - cpu0;
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`${method} on ${server.port}: ${out}`);
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  return {
    requests,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: wrkLatencyMs(out, 50),
    p99: wrkLatencyMs(out, 99),
    cpuUs: (cpu * 1e6) / requests,
  };
}

/** Starts redis-server (no persistence) pinned to CPU 0 on a free port; resolves with { port, pid, stop }. */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-api-redis-'));
  const [cmd, args] = pinned(0, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
  const child = spawn(cmd, args, { stdio: 'ignore' });
  const stop = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
      break;
    } catch {
      if (i > 400) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const info = execFileSync('redis-cli', ['-p', String(port), 'info', 'server'], { encoding: 'utf8' });
  return { port, pid: Number(/process_id:(\d+)/.exec(info)[1]), child, stop };
}

/**
 * One `redis-benchmark -t get|set -c <connections> -d <valueBytes> -r <keys> -n <requests> --csv`
 * run pinned to CPU 1 (no pipelining). Returns { rps, p50, p99 (ms), cpuUs (redis-server CPU µs
 * per request) }.
 */
export function redisBenchmark(redis, command, { requests, connections, keys, valueBytes }) {
  const [cmd, args] = pinned(1, 'redis-benchmark', ['-p', String(redis.port), '-t', command, '-n', String(requests), '-c', String(connections), '-d', String(valueBytes), '-r', String(keys), '--csv']);
  const cpu0 = cpuSeconds(redis.pid);
  const out = execFileSync(cmd, args, { encoding: 'utf8' });
  const cpu = cpuSeconds(redis.pid) - cpu0;
  const row = out
    .trim()
    .split('\n')
    .map((l) => l.split(',').map((c) => c.replace(/"/g, '')))
    .find((r) => r[0] === command.toUpperCase());
  if (row === undefined) throw new Error(`redis-benchmark ${command}: ${out}`);
  return { rps: Number(row[1]), p50: Number(row[4]), p99: Number(row[6]), cpuUs: (cpu * 1e6) / requests };
}

/** Median of a list of numbers. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
