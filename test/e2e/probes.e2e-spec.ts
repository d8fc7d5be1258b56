import { http } from '../support/http';
import { freePort } from '../support/server-process';
import { startNode } from '../support/start-node';
import { until } from '../support/until';

const TOKEN = 'probe-token';

describe('k8s probes /livez and /readyz on the management listener', () => {
  it('answers both without credentials on a single node, which is joined at boot', async () => {
    const node = await startNode({ HYPERCACHE_AUTH_TOKEN: TOKEN });
    const live = await http('GET', `${node.urls.mgmt}/livez`);
    expect(live.status).toBe(200);
    expect(live.json()).toMatchObject({ status: 'ok', info: { process: { status: 'up' } } });
    const ready = await http('GET', `${node.urls.mgmt}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers['cache-control']).toBe('no-store');
    expect(ready.json()).toEqual({
      status: 'ok',
      info: {
        listeners: { status: 'up' },
        drain: { status: 'up', draining: false },
        cluster: { status: 'up', joined: true, evidence: 'no-seeds', via: null },
      },
      error: {},
      details: expect.any(Object),
    });
  });

  it('reports not-ready (503) once drained through POST /dist/drain, while /livez and /health stay 200', async () => {
    const node = await startNode({ HYPERCACHE_AUTH_TOKEN: TOKEN });
    expect((await http('GET', `${node.urls.mgmt}/readyz`)).status).toBe(200);
    expect((await http('POST', `${node.urls.dist}/dist/drain`, { token: TOKEN })).status).toBe(200);
    const ready = await http('GET', `${node.urls.mgmt}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'error', error: { drain: { status: 'down', draining: true } } });
    expect((await http('GET', `${node.urls.mgmt}/livez`)).status).toBe(200);
    expect((await http('GET', `${node.urls.mgmt}/health`)).text).toBe('ok');
  });

  it('is not ready before it has reached a seed, and becomes ready once the seed answers its dist /health', async () => {
    const seedDist = await freePort();
    const n1 = await startNode({ HYPERCACHE_NODE_ID: 'node-1', HYPERCACHE_SEEDS: `node-2@127.0.0.1:${seedDist}` });
    const before = await http('GET', `${n1.urls.mgmt}/readyz`);
    expect(before.status).toBe(503);
    expect(before.json().error).toEqual({ cluster: { status: 'down', joined: false, seeds: ['node-2'] } });
    expect((await http('GET', `${n1.urls.mgmt}/livez`)).status).toBe(200);

    const n2 = await startNode({
      HYPERCACHE_NODE_ID: 'node-2',
      HYPERCACHE_DIST_ADDR: `127.0.0.1:${seedDist}`,
      HYPERCACHE_SEEDS: `node-1@127.0.0.1:${n1.ports.dist}`,
    });
    // node-2's seed (node-1) is already up: ready at its first probe round.
    await until(async () => (await http('GET', `${n2.urls.mgmt}/readyz`)).status === 200, 5_000);
    await until(async () => (await http('GET', `${n1.urls.mgmt}/readyz`)).status === 200, 5_000);
    expect((await http('GET', `${n1.urls.mgmt}/readyz`)).json().info.cluster).toEqual({ status: 'up', joined: true, evidence: 'seed-health', via: 'node-2' });
  });
});
