// bench/api: GET-hit and PUT throughput of our client API against raw Fastify + Map, side by side
// in one run. Servers are pinned to CPU 0 and this load generator (autocannon) to CPU 1 when
// `taskset` exists. Prints one line per figure:
//   bench <name>: ours X req/s, reference Y req/s, ratio Z
// Env: BENCH_DURATION_S (default 10), BENCH_CONNECTIONS (50), BENCH_ROUNDS (2), BENCH_VALUE_BYTES (64),
// BENCH_METHODS (GET,PUT), BENCH_AUTH_TOKEN (unset: open mode; set: our server requires this bearer
// token and every request sends it; the reference server ignores the header).
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const duration = Number(process.env.BENCH_DURATION_S ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const valueBytes = Number(process.env.BENCH_VALUE_BYTES ?? 64);
const keys = 1000;
const methods = (process.env.BENCH_METHODS ?? 'GET,PUT').split(',');
const value = Buffer.alloc(valueBytes, 0x61);
const authToken = process.env.BENCH_AUTH_TOKEN || undefined;
const authHeaders = authToken ? { authorization: `Bearer ${authToken}` } : {};

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (hasTaskset) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function launch(args, env = {}) {
  const cmd = hasTaskset ? 'taskset' : process.execPath;
  const argv = hasTaskset ? ['-c', '0', process.execPath, ...args] : args;
  return spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitUp(port) {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/v1/cache/__probe`, { headers: authHeaders });
      await r.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`server on ${port} did not start`);
}

async function startOurs() {
  const [api, mgmt, dist] = [await freePort(), await freePort(), await freePort()];
  const child = launch([join(root, 'dist/apps/server/src/main.js')], {
    HYPERCACHE_NODE_ID: 'bench',
    HYPERCACHE_API_ADDR: `127.0.0.1:${api}`,
    HYPERCACHE_MGMT_ADDR: `127.0.0.1:${mgmt}`,
    HYPERCACHE_DIST_ADDR: `127.0.0.1:${dist}`,
    HYPERCACHE_LOG_LEVEL: 'warn',
    ...(authToken ? { HYPERCACHE_AUTH_TOKEN: authToken } : {}),
  });
  await waitUp(api);
  return { port: api, child };
}

async function startReference() {
  const port = await freePort();
  const child = launch([join(here, 'reference-server.mjs'), String(port)]);
  await waitUp(port);
  return { port, child };
}

async function seed(port) {
  for (let i = 0; i < keys; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/v1/cache/k${i}`, { method: 'PUT', body: value, headers: authHeaders });
    await r.arrayBuffer();
  }
}

const hasWrk = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return e.status === 1; // wrk --version exits 1 after printing its version
  }
})();

// wrk (C, one thread on CPU 1) drives loopback far harder than autocannon (JS), so the server,
// not the load generator, is the bottleneck; autocannon is the fallback when wrk is missing.
function wrkLoad(port, method, seconds) {
  const script = join(here, method === 'PUT' ? 'wrk-put.lua' : 'wrk-get.lua');
  const argv = ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', script, `http://127.0.0.1:${port}`];
  const cmd = hasTaskset ? 'taskset' : 'wrk';
  const out = execFileSync(cmd, hasTaskset ? ['-c', '1', 'wrk', ...argv] : argv, {
    encoding: 'utf8',
    env: { ...process.env, BENCH_KEYS: String(keys), BENCH_VALUE_BYTES: String(valueBytes), BENCH_AUTH_TOKEN: authToken ?? '' },
  });
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`${method} on ${port}: ${out}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
}

function load(port, method, seconds = duration) {
  if (hasWrk) return Promise.resolve(wrkLoad(port, method, seconds));
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        requests: [
          {
            method,
            headers: authHeaders,
            setupRequest: (req) => {
              req.path = `/v1/cache/k${i++ % keys}`;
              if (method === 'PUT') req.body = value;
              return req;
            },
          },
        ],
      },
      (err, res) => {
        if (err) return reject(err);
        if (res.non2xx > 0 || res.errors > 0) return reject(new Error(`${method} on ${port}: ${res.non2xx} non-2xx, ${res.errors} errors`));
        resolve(res.requests.average);
      },
    );
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const ours = await startOurs();
const ref = await startReference();
try {
  await seed(ours.port);
  await seed(ref.port);
  // Warm up both (JIT) before measuring.
  const warmS = Math.max(2, Math.round(duration / 3));
  for (const s of [ours, ref]) for (const m of methods) await load(s.port, m, warmS);
  const results = { GET: { ours: [], ref: [] }, PUT: { ours: [], ref: [] } };
  for (let r = 0; r < rounds; r++) {
    for (const method of methods) {
      results[method].ours.push(await load(ours.port, method));
      results[method].ref.push(await load(ref.port, method));
    }
  }
  console.log(`# ${rounds} round(s) × ${duration}s, ${connections} connections, ${valueBytes}-byte values, auth ${authToken ? 'bearer token' : 'open'}, taskset ${hasTaskset ? 'server CPU0 / load CPU1' : 'unavailable'}, load generator ${hasWrk ? 'wrk' : 'autocannon'}`);
  for (const method of methods) {
    const o = median(results[method].ours);
    const f = median(results[method].ref);
    console.log(`bench api-${method.toLowerCase()}: ours ${Math.round(o)} req/s, reference ${Math.round(f)} req/s, ratio ${(o / f).toFixed(2)}`);
  }
} finally {
  ours.child.kill('SIGTERM');
  ref.child.kill('SIGTERM');
}
