import { heldUpload } from '../support/held-upload';
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

    // Keep the client API busy with an upload so shutdown pauses in "finish in-flight requests".
    // Drain is decided at request arrival (decisions S15): SIGTERM goes out only once the server
    // answered `100 Continue` to the headers; the body follows once readiness was seen failing.
    const chunk = Buffer.alloc(16 * 1024, 1);
    const upload = heldUpload(`http://127.0.0.1:${p0.api}/v1/cache/slow`, { bytes: 2 * chunk.length, headers: { authorization: 'Bearer tok' } });
    await upload.received;
    await upload.write(chunk);
    p.child.kill('SIGTERM');
    let notReady: { status: number; body: any } | undefined;
    await until(async () => {
      const r = await http('GET', `${mgmt}/readyz`);
      if (r.status !== 503) return false;
      notReady = { status: r.status, body: r.json() };
      return true;
    }, 10_000);
    expect((await http('GET', `${mgmt}/livez`)).status).toBe(200);
    const res = await upload.finish(chunk);
    expect(res.status).toBe(200);
    expect(notReady?.body).toMatchObject({ status: 'error', error: { drain: { status: 'down', draining: true } } });
    expect(await p.exited).toBe(0);
  }, 60_000);
});
