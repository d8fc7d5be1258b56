import { createServer, type IncomingMessage } from 'node:http';
import { http } from '../support/http';
import { registerCleanup } from '../support/cleanup';
import { freePort, spawnServer, until } from '../support/server-process';

/** A minimal OTLP/HTTP JSON receiver (the collector is outside the system: the test plays it). */
async function otlpReceiver(): Promise<{ url: string; posts: Array<{ path: string; body: any }> }> {
  const posts: Array<{ path: string; body: any }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        posts.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch {
        posts.push({ path: req.url ?? '', body: null });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  registerCleanup(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, posts };
}

describe('hypercache-server process with OTEL_* set', () => {
  it('exports dist spans and dist.* metrics over OTLP, without key values', async () => {
    const collector = await otlpReceiver();
    const p0 = { api: await freePort(), mgmt: await freePort(), dist: await freePort() };
    const p = spawnServer({
      HYPERCACHE_NODE_ID: 'otel-1',
      HYPERCACHE_API_ADDR: `127.0.0.1:${p0.api}`,
      HYPERCACHE_MGMT_ADDR: `127.0.0.1:${p0.mgmt}`,
      HYPERCACHE_DIST_ADDR: `127.0.0.1:${p0.dist}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '300',
      OTEL_LOGS_EXPORTER: 'none',
    });
    await until(async () => (await http('GET', `http://127.0.0.1:${p0.mgmt}/readyz`)).status === 200, 30_000);
    expect((await http('PUT', `http://127.0.0.1:${p0.api}/v1/cache/patient-7731`, { body: 'v' })).status).toBe(200);

    const spansNamed = (name: string) =>
      collector.posts
        .filter((x) => x.path === '/v1/traces')
        .flatMap((x) => x.body.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)))
        .filter((s: any) => s.name === name);
    await until(() => spansNamed('dist.set').length >= 1, 10_000);
    const span = spansNamed('dist.set')[0];
    const attrs = Object.fromEntries(span.attributes.map((a: any) => [a.key, Object.values(a.value)[0]]));
    expect(attrs).toMatchObject({ 'cache.key.length': 'patient-7731'.length, 'dist.consistency': 'QUORUM', 'dist.owners.count': 1, 'dist.acks': 1 });

    const metricNames = () =>
      new Set(
        collector.posts
          .filter((x) => x.path === '/v1/metrics')
          .flatMap((x) => x.body.resourceMetrics.flatMap((rm: any) => rm.scopeMetrics.flatMap((sm: any) => sm.metrics.map((m: any) => m.name)))),
      );
    // Series without data points are left out of an export: wait for one carrying all of them.
    const wanted = ['dist.write.attempts', 'dist.members.alive', 'cache.items', 'http.server.requests'];
    await until(() => wanted.every((n) => metricNames().has(n)), 10_000);
    expect(JSON.stringify(collector.posts)).not.toContain('patient-7731');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 60_000);
});
