import { Readable } from 'node:stream';
import { request } from 'undici';
import { http } from '../support/http';
import { freePort, spawnServer, until } from '../support/server-process';

describe('hypercache-server process: readiness on SIGTERM', () => {
  it('turns /readyz 503 as soon as SIGTERM arrives, while an in-flight upload still finishes', async () => {
    const p0 = { api: await freePort(), mgmt: await freePort(), dist: await freePort() };
    const p = spawnServer({
      HYPERCACHE_NODE_ID: 'proc-probe',
      HYPERCACHE_API_ADDR: `127.0.0.1:${p0.api}`,
      HYPERCACHE_MGMT_ADDR: `127.0.0.1:${p0.mgmt}`,
      HYPERCACHE_DIST_ADDR: `127.0.0.1:${p0.dist}`,
      HYPERCACHE_AUTH_TOKEN: 'tok',
    });
    const mgmt = `http://127.0.0.1:${p0.mgmt}`;
    await until(async () => (await http('GET', `${mgmt}/readyz`)).status === 200, 30_000);

    // Keep the client API busy with an upload so shutdown pauses in "finish in-flight requests";
    // the upload resumes only once readiness was seen failing.
    let notReady: { status: number; body: any } | undefined;
    const chunk = Buffer.alloc(16 * 1024, 1);
    const upload = request(`http://127.0.0.1:${p0.api}/v1/cache/slow`, {
      method: 'PUT',
      headers: { authorization: 'Bearer tok' },
      body: Readable.from(
        (async function* () {
          yield chunk;
          // Drain is decided at request arrival (decisions S15): let the headers reach the server
          // before SIGTERM, or a loaded machine turns this upload into a 503 DRAINING.
          await new Promise((r) => setTimeout(r, 200));
          p.child.kill('SIGTERM');
          await until(async () => {
            const r = await http('GET', `${mgmt}/readyz`);
            if (r.status !== 503) return false;
            notReady = { status: r.status, body: r.json() };
            return true;
          }, 10_000);
          expect((await http('GET', `${mgmt}/livez`)).status).toBe(200);
          yield chunk;
        })(),
      ),
    });
    const res = await upload;
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    expect(notReady?.body).toMatchObject({ status: 'error', error: { drain: { status: 'down', draining: true } } });
    expect(await p.exited).toBe(0);
  }, 60_000);
});
