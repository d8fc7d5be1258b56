import { createServer } from 'node:net';
import { http } from '../support/http';
import { RespTestClient } from '../support/resp-client';
import { redisCli, redisCommand, startRedis, type RedisServer } from '../support/redis';
import { freePort, spawnServer, until, type ServerProcess } from '../support/server-process';

const TOKEN = 'redis-e2e-token';

/** A `hypercache-server` process over `redisUrl` on free loopback ports. */
async function redisNodeProcess(id: string, redisUrl: string, extra: Record<string, string> = {}): Promise<{ p: ServerProcess; api: string; mgmt: string; dist: number }> {
  const [api, mgmt, dist] = [await freePort(), await freePort(), await freePort()];
  const p = spawnServer({
    HYPERCACHE_NODE_ID: id,
    HYPERCACHE_API_ADDR: `127.0.0.1:${api}`,
    HYPERCACHE_MGMT_ADDR: `127.0.0.1:${mgmt}`,
    HYPERCACHE_DIST_ADDR: `127.0.0.1:${dist}`,
    HYPERCACHE_AUTH_TOKEN: TOKEN,
    HYPERCACHE_BACKEND: 'redis',
    HYPERCACHE_REDIS_URL: redisUrl,
    ...extra,
  });
  const node = { p, api: `http://127.0.0.1:${api}`, mgmt: `http://127.0.0.1:${mgmt}`, dist };
  await until(async () => (await http('GET', `${node.api}/healthz`)).status === 200, 60_000, 50);
  return node;
}

const auth = { token: TOKEN };

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function isBound(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(true));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
  });
}

describe('hypercache-server over Redis (HYPERCACHE_BACKEND=redis)', () => {
  let redis: RedisServer;
  let a: Awaited<ReturnType<typeof redisNodeProcess>>;
  let b: Awaited<ReturnType<typeof redisNodeProcess>>;

  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([redisNodeProcess('redis-a', redis.url), redisNodeProcess('redis-b', redis.url)]);
    await until(async () => (await http('GET', `${a.mgmt}/readyz`)).status === 200 && (await http('GET', `${b.mgmt}/readyz`)).status === 200, 30_000);
  }, 120_000);

  it('serves the whole client API with its auth: PUT/GET/HEAD/DELETE, batch, key browser, /v1/me, owners', async () => {
    expect((await http('PUT', `${a.api}/v1/cache/k1`, { body: 'v' })).status).toBe(401);
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]);
    const put = await http('PUT', `${a.api}/v1/cache/api%2Fk1?ttl=5m`, { body: bytes, ...auth, headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({ key: 'api/k1', stored: true, bytes: bytes.length, node: 'redis-a', owners: ['redis-a'] });
    const get = await http('GET', `${a.api}/v1/cache/api%2Fk1`, auth);
    expect(get.status).toBe(200);
    expect(get.body.equals(bytes)).toBe(true);
    const env = (await http('GET', `${a.api}/v1/cache/api%2Fk1`, { ...auth, headers: { accept: 'application/json' } })).json();
    expect(Buffer.from(env.value, 'base64').equals(bytes)).toBe(true);
    expect(env.ttl_ms).toBeGreaterThan(290_000);
    expect(env.origin).toBe('redis-a');
    const head = await http('HEAD', `${a.api}/v1/cache/api%2Fk1`, auth);
    expect(head.status).toBe(200);
    expect(Number(head.headers['x-cache-version'])).toBe(env.version);
    expect(head.headers['x-cache-ttl-ms']).toBeDefined();

    const batchPut = await http('POST', `${a.api}/v1/cache/batch/put`, {
      ...auth,
      body: JSON.stringify({ items: [{ key: 'api/b1', value: Buffer.from('one').toString('base64'), value_encoding: 'base64' }, { key: 'api/b2', value: 'two' }] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(batchPut.status).toBe(200);
    const batchGet = (await http('POST', `${a.api}/v1/cache/batch/get`, { ...auth, body: JSON.stringify({ keys: ['api/b2', 'api/none', 'api/b1'] }) })).json();
    expect(batchGet.results.map((r: { found: boolean }) => r.found)).toEqual([true, false, true]);
    expect(Buffer.from(batchGet.results[2].value, 'base64').toString()).toBe('one');

    const keys = (await http('GET', `${a.api}/v1/cache/keys?q=api/&limit=2`, auth)).json();
    expect(keys).toMatchObject({ keys: ['api/b1', 'api/b2'], total_matched: 3, next_cursor: '2', node: 'redis-a' });
    expect((await http('GET', `${a.api}/v1/me`, auth)).json()).toMatchObject({ id: 'default' });
    expect((await http('GET', `${a.api}/v1/owners/anything`, auth)).json()).toMatchObject({ key: 'anything', owners: ['redis-a'] });

    expect((await http('DELETE', `${a.api}/v1/cache/api%2Fk1`, auth)).status).toBe(200);
    expect((await http('GET', `${b.api}/v1/cache/api%2Fk1`, auth)).status).toBe(404);
    const batchDelete = await http('POST', `${a.api}/v1/cache/batch/delete`, { ...auth, body: JSON.stringify({ keys: ['api/b1', 'api/b2'] }) });
    expect(batchDelete.status).toBe(200);
    expect((await http('GET', `${a.api}/v1/cache/keys?q=api/`, auth)).json().total_matched).toBe(0);
  });

  it('shares the data between two stateless nodes: a PUT through one reads byte-exact through the other, metadata equal', async () => {
    const value = Buffer.alloc(70_000);
    for (let i = 0; i < value.length; i++) value[i] = (i * 7919) & 0xff;
    expect((await http('PUT', `${a.api}/v1/cache/shared?ttl=1h`, { body: value, ...auth })).status).toBe(200);
    const viaB = await http('GET', `${b.api}/v1/cache/shared`, auth);
    expect(viaB.status).toBe(200);
    expect(viaB.body.equals(value)).toBe(true);
    const headA = await http('HEAD', `${a.api}/v1/cache/shared`, auth);
    const headB = await http('HEAD', `${b.api}/v1/cache/shared`, auth);
    for (const h of ['x-cache-version', 'x-cache-origin', 'x-cache-last-updated', 'x-cache-expires-at']) expect(headB.headers[h]).toBe(headA.headers[h]);
    expect(headB.headers['x-cache-origin']).toBe('redis-a');
    expect(headB.headers['x-cache-node']).toBe('redis-b');
    // A later write through b gets a higher version, read back through a.
    expect((await http('PUT', `${b.api}/v1/cache/shared`, { body: 'newer', ...auth })).status).toBe(200);
    const after = await http('HEAD', `${a.api}/v1/cache/shared`, auth);
    expect(Number(after.headers['x-cache-version'])).toBeGreaterThan(Number(headA.headers['x-cache-version']));
    expect(after.headers['x-cache-origin']).toBe('redis-b');
  });

  it('serves management, metrics and Swagger, answers cluster-only routes 501 NOT_CLUSTERED, binds no peer listener', async () => {
    expect((await http('GET', `${a.mgmt}/livez`)).status).toBe(200);
    const ready = (await http('GET', `${a.mgmt}/readyz`)).json();
    expect(ready.info.redis).toMatchObject({ status: 'up' });
    expect((await http('GET', `${a.mgmt}/config`, auth)).json()).toMatchObject({ evictionAlgorithm: 'redis', replication: 1 });
    expect((await http('GET', `${a.mgmt}/stats`, auth)).status).toBe(200);
    expect((await http('GET', `${a.mgmt}/dist/owners?key=x`, auth)).json()).toEqual({ key: 'x', owners: ['redis-a'] });
    for (const path of ['/cluster/members', '/cluster/ring', '/cluster/heartbeat', '/cluster/events', '/dist/metrics']) {
      const r = await http('GET', `${a.mgmt}${path}`, auth);
      expect([path, r.status, r.json().code]).toEqual([path, 501, 'NOT_CLUSTERED']);
    }
    // The client API's cluster views (issue 17) likewise: no ring to route by, no per-owner change feed.
    for (const path of ['/v1/topology', '/v1/events']) {
      const r = await http('GET', `${a.api}${path}`, auth);
      expect([path, r.status, r.json().code]).toEqual([path, 501, 'NOT_CLUSTERED']);
    }
    expect(await isBound(a.dist)).toBe(false);
    // Swagger UI and the OpenAPI documents, as on a cluster member.
    expect((await http('GET', `${a.api}/docs`)).status).toBe(200);
    expect((await http('GET', `${a.api}/v1/openapi.yaml`)).text).toContain('/v1/cache/{key}');
    expect((await http('GET', `${a.mgmt}/docs`)).status).toBe(200);
    expect(Object.keys((await http('GET', `${a.mgmt}/docs-json`)).json().paths)).toContain('/clear');
    const metrics = (await http('GET', `${a.mgmt}/metrics`, auth)).text;
    expect(metrics).toMatch(/^redis_client_commands_total\{command="[a-z]+"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^redis_client_command_duration_bucket\{/m);
    expect(metrics).toMatch(/^redis_client_connection_events_total\{event="ready"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^http_server_requests_total\{/m);
    expect(metrics).not.toMatch(/^dist_forward_get_total/m);
  });

  it('serves the RESP listener over Redis too: a SET over RESP reads back over HTTP on another node, byte-exact, and the other way', async () => {
    const respPort = await freePort();
    const c = await redisNodeProcess('redis-c', redis.url, { HYPERCACHE_RESP_ADDR: `127.0.0.1:${respPort}` });
    const client = await RespTestClient.open(respPort);
    expect(await client.call('GET', 'resp/k')).toEqual({ err: expect.stringMatching(/^NOAUTH/) });
    expect(await client.call('AUTH', TOKEN)).toBe('OK');
    const bytes = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80, 0x7f]);
    expect(await client.call('SET', 'resp/k', bytes, 'PX', '60000')).toBe('OK');
    const viaB = await http('GET', `${b.api}/v1/cache/resp%2Fk`, auth);
    expect([viaB.status, viaB.body.equals(bytes)]).toEqual([200, true]);
    expect((await http('PUT', `${a.api}/v1/cache/http%2Fk`, { body: 'from-http', ...auth })).status).toBe(200);
    expect(await client.call('GET', 'http/k')).toBe('from-http');
    expect(await client.call('DEL', 'resp/k')).toBe(1);
    expect((await http('GET', `${b.api}/v1/cache/resp%2Fk`, auth)).status).toBe(404);
    c.p.child.kill('SIGKILL');
  });

  it('clears only its key prefix: a foreign key of the same database survives POST /clear', async () => {
    expect(await redisCommand(redis.port, 'SET other-app:key still-here')).toBe('+OK\r\n');
    expect((await http('PUT', `${a.api}/v1/cache/to-clear`, { body: 'x', ...auth })).status).toBe(200);
    const clear = await http('POST', `${a.mgmt}/clear`, auth);
    expect([clear.status, clear.text]).toEqual([200, 'OK']);
    expect((await http('GET', `${b.api}/v1/cache/to-clear`, auth)).status).toBe(404);
    expect(await redisCommand(redis.port, 'GET other-app:key')).toBe('$10\r\nstill-here\r\n');
  });

  it('answers 503 BACKEND_UNAVAILABLE within the command timeout while Redis is down, and serves again after it restarts', async () => {
    expect((await http('PUT', `${a.api}/v1/cache/before`, { body: 'x', ...auth })).status).toBe(200);
    await redis.stop(true);
    for (const [method, path] of [['GET', '/v1/cache/before'], ['PUT', '/v1/cache/during'], ['DELETE', '/v1/cache/before'], ['GET', '/v1/cache/keys']] as const) {
      const t0 = Date.now();
      const r = await http(method, `${a.api}${path}`, { ...auth, body: method === 'PUT' ? 'x' : undefined });
      const ms = Date.now() - t0;
      expect([method, path, r.status, r.json().code]).toEqual([method, path, 503, 'BACKEND_UNAVAILABLE']);
      // 1 s command timeout + a margin for this loaded 2-core machine (a hang would take minutes).
      expect(ms).toBeLessThan(5_000);
    }
    const batchGet = await http('POST', `${a.api}/v1/cache/batch/get`, { ...auth, body: JSON.stringify({ keys: ['before'] }) });
    expect([batchGet.status, batchGet.json().code]).toEqual([503, 'BACKEND_UNAVAILABLE']);
    // A batch write answers 200 with one failed result per item (client-api.md batch semantics).
    const batchPut = await http('POST', `${a.api}/v1/cache/batch/put`, { ...auth, body: JSON.stringify({ items: [{ key: 'bp', value: 'x' }] }) });
    expect(batchPut.status).toBe(200);
    expect(batchPut.json().results).toEqual([expect.objectContaining({ key: 'bp', stored: false, code: 'BACKEND_UNAVAILABLE' })]);
    const notReady = await http('GET', `${a.mgmt}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.json().error.redis).toMatchObject({ status: 'down' });
    expect((await http('GET', `${a.mgmt}/livez`)).status).toBe(200);
    expect((await http('GET', `${a.mgmt}/metrics`, auth)).text).toMatch(/^redis_client_connected 0$/m);

    await redis.start();
    await until(async () => (await http('PUT', `${a.api}/v1/cache/after`, { body: 'back', ...auth })).status === 200, 30_000, 100);
    expect((await http('GET', `${b.api}/v1/cache/after`, auth)).text).toBe('back');
    await until(async () => (await http('GET', `${a.mgmt}/readyz`)).status === 200, 30_000, 100);
    const back = (await http('GET', `${a.mgmt}/metrics`, auth)).text;
    expect(back).toMatch(/^redis_client_reconnects_total(\{[^}]*\})? [1-9]/m);
    expect(back).toMatch(/^redis_client_connected 1$/m);
  }, 90_000);
});

describe('hypercache-server over Redis: boot and configuration', () => {
  it('starts while Redis is down: /readyz 503 naming redis, /livez 200; ready once Redis answers; SIGTERM exits 0', async () => {
    const port = await freePort();
    const node = await redisNodeProcess('late-redis', `redis://127.0.0.1:${port}`);
    const notReady = await http('GET', `${node.mgmt}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.json().error.redis).toMatchObject({ status: 'down', target: `redis://127.0.0.1:${port}` });
    expect((await http('GET', `${node.mgmt}/livez`)).status).toBe(200);
    expect((await http('GET', `${node.api}/v1/cache/k`, auth)).json().code).toBe('BACKEND_UNAVAILABLE');
    await startRedis({ port });
    await until(async () => (await http('GET', `${node.mgmt}/readyz`)).status === 200, 60_000, 100);
    expect((await http('PUT', `${node.api}/v1/cache/k`, { body: 'v', ...auth })).status).toBe(200);
    // Graceful stop: drain, close the listeners and the Redis client, exit 0.
    node.p.child.kill('SIGTERM');
    expect(await node.p.exited).toBe(0);
  }, 120_000);

  it('authenticates with the URL’s user and password, uses its database, and never shows the password', async () => {
    const secured = await startRedis({ args: ['--requirepass', 's3cret-pw'] });
    const node = await redisNodeProcess('with-auth', `redis://default:s3cret-pw@127.0.0.1:${secured.port}/3`);
    await until(async () => (await http('GET', `${node.mgmt}/readyz`)).status === 200, 60_000, 100);
    expect((await http('PUT', `${node.api}/v1/cache/in-db-3`, { body: 'v', ...auth })).status).toBe(200);
    expect(await redisCli(secured.port, '--no-auth-warning', '-a', 's3cret-pw', '-n', '3', 'exists', 'hypercache:in-db-3')).toBe('1\n');
    expect(await redisCli(secured.port, '--no-auth-warning', '-a', 's3cret-pw', '-n', '0', 'exists', 'hypercache:in-db-3')).toBe('0\n');
    await secured.stop(true);
    const down = await http('GET', `${node.mgmt}/readyz`);
    await until(async () => (await http('GET', `${node.mgmt}/readyz`)).status === 503, 30_000, 100);
    expect(JSON.stringify((await http('GET', `${node.mgmt}/readyz`)).json())).not.toContain('s3cret-pw');
    expect(down.text + node.p.output()).not.toContain('s3cret-pw');
  }, 120_000);

  it.each([
    [{ HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: '' }, 'HYPERCACHE_REDIS_URL'],
    [{ HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: 'http://127.0.0.1:6379' }, 'HYPERCACHE_REDIS_URL'],
    [{ HYPERCACHE_BACKEND: 'mongo' }, 'HYPERCACHE_BACKEND'],
    [{ HYPERCACHE_BACKEND: 'redis-cluster', HYPERCACHE_REDIS_CLUSTER_NODES: '127.0.0.1' }, 'HYPERCACHE_REDIS_CLUSTER_NODES'],
    [{ HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: 'redis://127.0.0.1:1', HYPERCACHE_REDIS_TIMEOUT: 'soon' }, 'HYPERCACHE_REDIS_TIMEOUT'],
  ])('exits 1 on %j naming %s', async (env, variable) => {
    const p = spawnServer({ HYPERCACHE_NODE_ID: 'bad-env', HYPERCACHE_API_ADDR: '127.0.0.1:0', HYPERCACHE_MGMT_ADDR: '127.0.0.1:0', ...env });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(new RegExp(`invalid configuration: ${variable}=`));
  });
});
