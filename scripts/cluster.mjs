// Local 5-node cluster as plain processes on 127.0.0.1, for people without Docker (docs/deploy.md).
//
//   node scripts/cluster.mjs start [--free-ports]   (npm run cluster)
//   node scripts/cluster.mjs stop                   (npm run cluster:stop)
//   node scripts/cluster.mjs status
//
// Same settings as docker-compose.cluster.yml: node-1..node-5, replication 3, token `dev-token`,
// client API on 8081..8085, management on 9081..9085, dist on 7941..7945 (override the bases with
// HYPERCACHE_CLUSTER_API_BASE / _MGMT_BASE / _DIST_BASE, or pick free ports with --free-ports).
// The nodes run detached; their pids, ports and log files are recorded in
// <run dir>/cluster.json (run dir: HYPERCACHE_CLUSTER_DIR, default tmp/cluster). `stop` sends
// SIGTERM, waits for each node's graceful drain and exit, SIGKILLs only after the deadline.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'dist/apps/server/src/main.js');
const NODES = 5;
const TOKEN = 'dev-token';
const RUN_DIR = resolve(ROOT, process.env.HYPERCACHE_CLUSTER_DIR || 'tmp/cluster');
const STATE = join(RUN_DIR, 'cluster.json');
const START_TIMEOUT_MS = 30_000;
// Above the server's 30 s shutdown deadline (HYPERCACHE_SHUTDOWN_TIMEOUT), so a drain is never cut.
const STOP_TIMEOUT_MS = 35_000;

/** The environment shared by every node: docker-compose.cluster.yml / deploy.md §4. */
const COMMON_ENV = {
  HYPERCACHE_REPLICATION: '3',
  HYPERCACHE_CAPACITY: '100000',
  HYPERCACHE_AUTH_TOKEN: TOKEN,
  HYPERCACHE_LOG_LEVEL: 'info',
  HYPERCACHE_HEARTBEAT: '1s',
  HYPERCACHE_INDIRECT_PROBE_K: '2',
  HYPERCACHE_HINT_TTL: '30s',
  HYPERCACHE_HINT_REPLAY: '200ms',
  HYPERCACHE_REBALANCE_INTERVAL: '250ms',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** True if `pid` is still one of our server processes (guards against a recycled pid). */
function isOurNode(pid) {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(ENTRY);
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}

function readState() {
  if (!existsSync(STATE)) return undefined;
  return JSON.parse(readFileSync(STATE, 'utf8'));
}

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n + NODES > 65535) throw new Error(`${name}=${JSON.stringify(raw)}: expected a port number`);
  return n;
}

async function choosePorts(free) {
  const ports = [];
  if (free) {
    for (let i = 0; i < NODES; i++) ports.push({ api: await freePort(), mgmt: await freePort(), dist: await freePort() });
    return ports;
  }
  const api = intEnv('HYPERCACHE_CLUSTER_API_BASE', 8081);
  const mgmt = intEnv('HYPERCACHE_CLUSTER_MGMT_BASE', 9081);
  const dist = intEnv('HYPERCACHE_CLUSTER_DIST_BASE', 7941);
  for (let i = 0; i < NODES; i++) ports.push({ api: api + i, mgmt: mgmt + i, dist: dist + i });
  return ports;
}

async function isHealthy(port) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
    return r.status === 200;
  } catch {
    return false;
  }
}

/** The caller's environment without npm's variables and without any stray HYPERCACHE_* setting. */
function inheritedEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && !k.startsWith('HYPERCACHE_')));
}

async function stopPids(pids) {
  for (const pid of pids) if (isOurNode(pid)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(50);
  const stuck = pids.filter(isOurNode);
  for (const pid of stuck) process.kill(pid, 'SIGKILL');
  while (pids.some(isAlive)) await sleep(20);
  return stuck;
}

async function start(args) {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm run cluster does)`);
  const running = readState();
  if (running?.nodes.some((n) => isOurNode(n.pid))) {
    throw new Error(`a cluster is already running (pids in ${STATE}); stop it with \`npm run cluster:stop\``);
  }
  mkdirSync(RUN_DIR, { recursive: true });
  const free = args.includes('--free-ports');
  // A free port can be taken by another process between choosing and binding it (tests run in
  // parallel): with --free-ports, a start that failed on EADDRINUSE is retried on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(await choosePorts(free));
    } catch (e) {
      if (!(free && e.addressInUse && attempt < 3)) throw e;
    }
  }
}

async function launch(ports) {
  const nodes = ports.map((p, i) => ({ id: `node-${i + 1}`, ports: p, log: join(RUN_DIR, `node-${i + 1}.log`) }));
  for (const node of nodes) {
    const seeds = nodes.filter((x) => x !== node).map((x) => `${x.id}@127.0.0.1:${x.ports.dist}`).join(',');
    const out = openSync(node.log, 'w');
    const child = spawn(process.execPath, [ENTRY], {
      cwd: ROOT,
      detached: true, // own process group: survives this script, not killed by a Ctrl-C here
      stdio: ['ignore', out, out],
      env: {
        ...inheritedEnv(),
        ...COMMON_ENV,
        HYPERCACHE_NODE_ID: node.id,
        HYPERCACHE_API_ADDR: `127.0.0.1:${node.ports.api}`,
        HYPERCACHE_MGMT_ADDR: `127.0.0.1:${node.ports.mgmt}`,
        HYPERCACHE_DIST_ADDR: `127.0.0.1:${node.ports.dist}`,
        HYPERCACHE_SEEDS: seeds,
      },
    });
    closeSync(out);
    child.unref();
    node.pid = child.pid;
  }
  // Record the pids before waiting, so `stop` can clean up even if this script is interrupted.
  writeFileSync(STATE, `${JSON.stringify({ startedAt: new Date().toISOString(), token: TOKEN, nodes }, null, 2)}\n`);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const dead = nodes.find((n) => !isAlive(n.pid));
    if (dead) {
      await stopPids(nodes.map((n) => n.pid));
      rmSync(STATE, { force: true });
      const log = readFileSync(dead.log, 'utf8').trim().split('\n').slice(-5).join('\n');
      throw Object.assign(new Error(`${dead.id} exited during start-up; its log (${dead.log}) ends with:\n${log}`), {
        addressInUse: log.includes('EADDRINUSE'),
      });
    }
    const healthy = await Promise.all(nodes.map((n) => isHealthy(n.ports.api)));
    if (healthy.every(Boolean)) break;
    if (Date.now() > deadline) {
      await stopPids(nodes.map((n) => n.pid));
      rmSync(STATE, { force: true });
      throw new Error(`the cluster did not become healthy within ${START_TIMEOUT_MS / 1000} s; logs in ${RUN_DIR}`);
    }
    await sleep(100);
  }
  const rows = nodes.map((n) => `  ${n.id}  pid ${String(n.pid).padEnd(7)}  api http://127.0.0.1:${n.ports.api}  mgmt http://127.0.0.1:${n.ports.mgmt}  dist 127.0.0.1:${n.ports.dist}`);
  const [first, last] = [nodes[0], nodes[NODES - 1]];
  console.log(
    [
      `hypercache cluster: ${NODES} nodes up (replication 3, token ${TOKEN})`,
      ...rows,
      `state: ${STATE}   logs: ${RUN_DIR}/node-*.log`,
      'try:',
      `  curl -H 'Authorization: Bearer ${TOKEN}' -X PUT --data-binary hello http://127.0.0.1:${first.ports.api}/v1/cache/greeting`,
      `  curl -H 'Authorization: Bearer ${TOKEN}' http://127.0.0.1:${last.ports.api}/v1/cache/greeting`,
      'stop: npm run cluster:stop',
    ].join('\n'),
  );
}

async function stop() {
  const state = readState();
  if (!state) {
    console.log(`no cluster state in ${STATE}: nothing to stop`);
    return;
  }
  const pids = state.nodes.map((n) => n.pid);
  const stuck = await stopPids(pids);
  rmSync(STATE, { force: true });
  console.log(`hypercache cluster stopped (${pids.length} nodes${stuck.length ? `; ${stuck.length} SIGKILLed after ${STOP_TIMEOUT_MS / 1000} s` : ', all drained and exited'})`);
}

async function status() {
  const state = readState();
  if (!state) return console.log('no cluster running');
  for (const n of state.nodes) {
    const up = isOurNode(n.pid) ? ((await isHealthy(n.ports.api)) ? 'healthy' : 'running, not healthy') : 'not running';
    console.log(`  ${n.id}  pid ${n.pid}  api :${n.ports.api}  mgmt :${n.ports.mgmt}  ${up}`);
  }
}

// The nodes run on this script's node; the server needs Node 24 (require(esm) of Nest 12).
if (Number(process.versions.node.split('.')[0]) < 24) {
  console.error(`cluster: Node ${process.versions.node} is too old; run it as \`npm run cluster\` (the project's pinned Node 24)`);
  process.exit(1);
}

const [cmd = 'start', ...rest] = process.argv.slice(2);
const commands = { start: () => start(rest), stop, status };
if (!(cmd in commands)) {
  console.error(`usage: node scripts/cluster.mjs start [--free-ports] | stop | status`);
  process.exit(2);
}
commands[cmd]().catch((e) => {
  console.error(`cluster ${cmd}: ${e.message}`);
  process.exit(1);
});
