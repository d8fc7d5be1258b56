// A local n-node cluster of real server processes for bench/client (dist/ must be built).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const started = new Set();
process.on('exit', () => started.forEach((c) => c.kill('SIGKILL')));

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitUp(port, child) {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`node on ${port} exited during boot`);
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

/** Starts `n` nodes (RF `replication`, bearer `token`); resolves with their client API URLs and a stop function. */
export async function startCluster(n, replication, token) {
  for (let attempt = 1; ; attempt++) {
    const ports = [];
    for (let i = 0; i < n; i++) ports.push({ api: await freePort(), mgmt: await freePort(), dist: await freePort() });
    const ids = ports.map((_, i) => `node-${i + 1}`);
    const seeds = ids.map((id, i) => `${id}@127.0.0.1:${ports[i].dist}`).join(',');
    const children = ids.map((id, i) => {
      const child = spawn(process.execPath, [join(root, 'dist/apps/server/src/main.js')], {
        env: {
          ...process.env,
          HYPERCACHE_LOG_LEVEL: 'warn',
          HYPERCACHE_NODE_ID: id,
          HYPERCACHE_API_ADDR: `127.0.0.1:${ports[i].api}`,
          HYPERCACHE_MGMT_ADDR: `127.0.0.1:${ports[i].mgmt}`,
          HYPERCACHE_DIST_ADDR: `127.0.0.1:${ports[i].dist}`,
          HYPERCACHE_SEEDS: seeds,
          HYPERCACHE_REPLICATION: String(replication),
          HYPERCACHE_AUTH_TOKEN: token,
          HYPERCACHE_GOSSIP_INTERVAL: '500ms', // members learn each other's client API URL by gossip
        },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      started.add(child);
      child.on('exit', () => started.delete(child));
      return child;
    });
    try {
      for (let i = 0; i < n; i++) await waitUp(ports[i].api, children[i]);
      // A port taken between freePort() and bind makes a node exit right after its API came up.
      await new Promise((r) => setTimeout(r, 500));
      if (children.some((c) => c.exitCode !== null || c.signalCode !== null)) throw new Error('a node exited during boot');
      return { urls: ports.map((p) => `http://127.0.0.1:${p.api}`), stop: () => children.forEach((c) => c.kill('SIGTERM')) };
    } catch (e) {
      children.forEach((c) => c.kill('SIGKILL'));
      if (attempt === 3) throw e;
    }
  }
}
