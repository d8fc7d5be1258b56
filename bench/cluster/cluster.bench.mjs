// bench/cluster: replicated QUORUM PUT (RF 3, 3-node local cluster) next to a single node, in one
// run. All server processes share CPU 0 (the same CPU budget for both setups); wrk runs on CPU 1.
// Prints throughput and p50/p99 latency lines:
//   bench cluster-put: ours X req/s, reference Y req/s, ratio Z      (ours = RF 3 cluster, reference = single node)
//   bench cluster-put-p50: ours X ms, reference Y ms, ratio Z
//   bench cluster-put-p99: ours X ms, reference Y ms, ratio Z
//   bench cluster-put-cpu: ours X µs/req, reference Y µs/req, ratio Z  (server CPU per request, all nodes)
// Rounds alternate which setup goes first; each ratio is the median of the per-round ratios.
// Env: BENCH_DURATION_S (10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50), BENCH_VALUE_BYTES (64).
// BENCH_CPU_PROF=<dir>: the cluster's nodes run with `--cpu-prof` and write one .cpuprofile each
// into <dir> when the bench stops them (summarise with bench/cluster/cpuprofile-summary.mjs).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const duration = Number(process.env.BENCH_DURATION_S ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const valueBytes = Number(process.env.BENCH_VALUE_BYTES ?? 64);
const putScript = join(root, 'bench/api/wrk-put.lua');

const has = (cmd, args) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch (e) {
    return e.status === 1;
  }
};
if (!has('wrk', ['--version'])) throw new Error('bench/cluster needs wrk (apt-get install wrk)');
const hasTaskset = has('taskset', ['-p', String(process.pid)]);

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Every server this bench started, killed however the bench ends.
const started = new Set();
process.on('exit', () => started.forEach((c) => c.kill('SIGKILL')));

const profileDir = process.env.BENCH_CPU_PROF;

function startNode(env, profile = false) {
  const prof = profile && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const args = [...prof, join(root, 'dist/apps/server/src/main.js')];
  const [cmd, argv] = hasTaskset ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { env: { ...process.env, HYPERCACHE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  started.add(child);
  child.on('exit', () => started.delete(child));
  return child;
}

async function waitUp(port) {
  // Up to 60 s: on a loaded 2-core machine three nodes starting on one CPU took more than 10 s.
  for (let i = 0; i < 1200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      await r.arrayBuffer();
      if (r.ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`node on ${port} did not start`);
}

/** Starts an n-node cluster; retries with fresh ports when one was taken meanwhile (busy machine). */
async function startCluster(n, replication) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tryStartCluster(n, replication);
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

async function tryStartCluster(n, replication) {
  const ports = [];
  for (let i = 0; i < n; i++) ports.push({ api: await freePort(), mgmt: await freePort(), dist: await freePort() });
  const ids = ports.map((_, i) => `node-${i + 1}`);
  const seeds = ids.map((id, i) => `${id}@127.0.0.1:${ports[i].dist}`).join(',');
  const children = ids.map((id, i) =>
    startNode({
      HYPERCACHE_NODE_ID: id,
      HYPERCACHE_API_ADDR: `127.0.0.1:${ports[i].api}`,
      HYPERCACHE_MGMT_ADDR: `127.0.0.1:${ports[i].mgmt}`,
      HYPERCACHE_DIST_ADDR: `127.0.0.1:${ports[i].dist}`,
      HYPERCACHE_SEEDS: n > 1 ? seeds : '',
      HYPERCACHE_REPLICATION: String(replication),
    }, n > 1),
  );
  try {
    for (const p of ports) await waitUp(p.api);
  } catch (e) {
    children.forEach((c) => c.kill('SIGKILL'));
    throw e;
  }
  const exited = children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve() : c.once('exit', resolve))));
  return {
    port: ports[0].api,
    pids: children.map((c) => c.pid),
    /** SIGTERM to every node; resolves once all exited (a profile is written on exit). */
    stop: () => {
      children.forEach((c) => c.kill('SIGTERM'));
      return Promise.all(exited);
    },
  };
}

function wrk(port, seconds) {
  const argv = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', putScript, `http://127.0.0.1:${port}`];
  const out = execFileSync(hasTaskset ? 'taskset' : 'wrk', hasTaskset ? ['-c', '1', 'wrk', ...argv] : argv, {
    encoding: 'utf8',
    env: { ...process.env, BENCH_KEYS: '1000', BENCH_VALUE_BYTES: String(valueBytes) },
  });
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`PUT on ${port}: ${out}`);
  const ms = (label) => {
    const m = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), p50: ms('50'), p99: ms('99') };
}

/** CPU seconds (user + system) used so far by each of the given processes, from /proc (Linux). */
function cpuSeconds(pids) {
  return pids.map((pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  });
}

/** One measured wrk run plus the CPU the servers spent on it (µs per request, in all and per node). */
function measure(setup, seconds) {
  const before = cpuSeconds(setup.pids);
  const r = wrk(setup.port, seconds);
  const perNode = cpuSeconds(setup.pids).map((s, i) => ((s - before[i]) * 1e6) / (r.rps * seconds));
  return { ...r, cpuUs: perNode.reduce((a, b) => a + b, 0), perNodeUs: perNode };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const single = await startCluster(1, 1);
const cluster = await startCluster(3, 3);
try {
  const warm = Math.max(2, Math.round(duration / 3));
  wrk(single.port, warm);
  wrk(cluster.port, warm);
  // Alternating rounds; the ratio of each pair is taken within the round, the median printed.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const pairs = [];
  for (let i = 0; i < rounds; i++) {
    const first = i % 2 === 0 ? measure(single, duration) : measure(cluster, duration);
    const second = i % 2 === 0 ? measure(cluster, duration) : measure(single, duration);
    pairs.push(i % 2 === 0 ? { s: first, c: second } : { s: second, c: first });
  }
  const pick = (f) => median(pairs.map((p) => f(p.c) / f(p.s)));
  const med = (side, f) => median(pairs.map((p) => f(p[side])));
  const s = { rps: med('s', (x) => x.rps), p50: med('s', (x) => x.p50), p99: med('s', (x) => x.p99), cpuUs: med('s', (x) => x.cpuUs) };
  const c = { rps: med('c', (x) => x.rps), p50: med('c', (x) => x.p50), p99: med('c', (x) => x.p99), cpuUs: med('c', (x) => x.cpuUs) };
  console.log(`# ${rounds} alternating rounds × ${duration}s, ${connections} connections, ${valueBytes}-byte values, servers on CPU0, wrk on CPU1; ours = 3 nodes RF 3 QUORUM, reference = 1 node`);
  console.log(`# per-round throughput ratios: ${pairs.map((p) => (p.c.rps / p.s.rps).toFixed(2)).join(', ')}`);
  console.log(`bench cluster-put: ours ${Math.round(c.rps)} req/s, reference ${Math.round(s.rps)} req/s, ratio ${pick((x) => x.rps).toFixed(2)}`);
  console.log(`bench cluster-put-cpu: ours ${c.cpuUs.toFixed(1)} µs/req, reference ${s.cpuUs.toFixed(1)} µs/req, ratio ${pick((x) => x.cpuUs).toFixed(2)}`);
  // Where the cluster's CPU goes: node-1 takes every client request (and forwards two in three).
  const nodes = c.cpuUs && pairs[0].c.perNodeUs.map((_, i) => median(pairs.map((p) => p.c.perNodeUs[i])).toFixed(1));
  console.log(`# cluster CPU per request by node (node-1 = entry): ${nodes.join(' / ')} µs`);
  console.log(`bench cluster-put-p50: ours ${c.p50.toFixed(2)} ms, reference ${s.p50.toFixed(2)} ms, ratio ${pick((x) => x.p50).toFixed(2)}`);
  console.log(`bench cluster-put-p99: ours ${c.p99.toFixed(2)} ms, reference ${s.p99.toFixed(2)} ms, ratio ${pick((x) => x.p99).toFixed(2)}`);
} finally {
  await Promise.all([single.stop(), cluster.stop()]);
}
