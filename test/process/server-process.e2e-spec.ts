import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { request } from 'undici';
import { http } from '../support/http';
import { ENTRY, ROOT, freePort, spawnServer, until } from '../support/server-process';

async function ports() {
  return { api: await freePort(), mgmt: await freePort(), dist: await freePort() };
}

function envFor(p: { api: number; mgmt: number; dist: number }, extra: Record<string, string> = {}) {
  return {
    HYPERCACHE_NODE_ID: 'proc-1',
    HYPERCACHE_API_ADDR: `127.0.0.1:${p.api}`,
    HYPERCACHE_MGMT_ADDR: `127.0.0.1:${p.mgmt}`,
    HYPERCACHE_DIST_ADDR: `127.0.0.1:${p.dist}`,
    ...extra,
  };
}

describe('hypercache-server process', () => {
  it('is the package.json bin entry', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(join(ROOT, pkg.bin['hypercache-server'])).toBe(ENTRY);
  });

  it.each([
    ['HYPERCACHE_CAPACITY', 'lots'],
    ['HYPERCACHE_API_ADDR', 'nowhere'],
    ['HYPERCACHE_LOG_LEVEL', 'chatty'],
    ['HYPERCACHE_SHUTDOWN_TIMEOUT', '5'],
    ['HYPERCACHE_API_ADVERTISE_ADDR', '0.0.0.0:8080'],
  ])('exits 1 at once on %s=%s, naming the variable and the value', async (name, value) => {
    const p = spawnServer(envFor(await ports(), { [name]: value }));
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain(name);
    expect(p.output()).toContain(JSON.stringify(value));
  });

  it('reports every bad variable at once, one line each, and never echoes the token', async () => {
    const bad = { HYPERCACHE_CAPACITY: 'lots', HYPERCACHE_LOG_LEVEL: 'chatty', HYPERCACHE_DIST_TLS_CA: '/ca.pem', HYPERCACHE_AUTH_TOKEN: 'tok-secret' };
    const p = spawnServer(envFor(await ports(), bad));
    expect(await p.exited).toBe(1);
    const lines = p.output().split('\n').filter((l) => l.includes('invalid configuration'));
    expect(lines).toHaveLength(3);
    for (const name of ['HYPERCACHE_CAPACITY="lots"', 'HYPERCACHE_LOG_LEVEL="chatty"', 'HYPERCACHE_DIST_TLS_CA="/ca.pem"']) {
      expect(lines.some((l) => l.includes(name))).toBe(true);
    }
    expect(p.output()).not.toContain('tok-secret');
  });

  it.each(['api', 'mgmt', 'dist'] as const)('exits 1 when the %s port is taken', async (which) => {
    const p0 = await ports();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(p0[which], '127.0.0.1', r));
    try {
      const p = spawnServer(envFor(p0));
      expect(await p.exited).toBe(1);
      expect(p.output()).toMatch(/failed to bind/);
    } finally {
      blocker.close();
    }
  });

  it('serves, logs JSON lines bound with node_id, and on SIGTERM finishes in-flight work and exits 0', async () => {
    const p0 = await ports();
    const p = spawnServer(envFor(p0));
    await until(async () => (await http('GET', `http://127.0.0.1:${p0.api}/healthz`)).status === 200);
    expect((await http('PUT', `http://127.0.0.1:${p0.api}/v1/cache/k`, { body: 'v' })).status).toBe(200);

    // A slow upload is in flight when SIGTERM arrives: it must complete, then the process exits 0.
    const body = Buffer.alloc(256 * 1024, 7);
    const slow = request(`http://127.0.0.1:${p0.api}/v1/cache/slow`, {
      method: 'PUT',
      body: Readable.from(
        (async function* () {
        for (let i = 0; i < 8; i++) {
          yield body.subarray(i * 32 * 1024, (i + 1) * 32 * 1024);
          if (i === 1) p.child.kill('SIGTERM');
          await new Promise((r) => setTimeout(r, 50));
        }
      })(),
      ),
    });
    const res = await slow;
    expect(res.statusCode).toBe(200);
    expect((await res.body.json()) as object).toMatchObject({ key: 'slow', stored: true, bytes: body.length });
    expect(await p.exited).toBe(0);

    const lines = p
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.node_id).toBe('proc-1');
    expect(lines.some((l) => l.msg === 'node started')).toBe(true);
  });
});
