import { Writable } from 'node:stream';
import { createRootLogger } from '@hypercache/telemetry';
import { http } from '../support/http';
import { startNode } from '../support/start-node';
import { until } from '../support/until';

describe('JSON logs', () => {
  it('carry node_id and component; management requests are logged with status and latency, client value routes are not', async () => {
    const lines: any[] = [];
    const raw: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) {
          if (l.trim() === '') continue;
          raw.push(l);
          lines.push(JSON.parse(l));
        }
        done();
      },
    });
    const log = createRootLogger({ nodeId: 'log-node', level: 'debug', destination: sink });
    const node = await startNode({ HYPERCACHE_NODE_ID: 'log-node', HYPERCACHE_AUTH_TOKEN: 'tok' }, { log });
    await http('PUT', `${node.urls.api}/v1/cache/k`, { token: 'tok', body: 'v' });
    await http('GET', `${node.urls.api}/v1/cache/k`, { token: 'tok' });
    await http('GET', `${node.urls.mgmt}/stats`, { token: 'tok' });
    await http('GET', `${node.urls.mgmt}/dist/owners?key=user-42-email`, { token: 'tok' });
    await http('GET', `${node.urls.mgmt}/config`);
    await until(() => lines.some((l) => l.req?.url === '/config'));

    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.node_id).toBe('log-node');
    expect(lines.some((l) => l.msg === 'node started' && l.component === 'server')).toBe(true);
    const stats = lines.find((l) => l.req?.url === '/stats');
    expect(stats).toMatchObject({ component: 'management', level: 'debug', res: { statusCode: 200 }, responseTime: expect.any(Number) });
    const denied = lines.find((l) => l.req?.url === '/config');
    expect(denied).toMatchObject({ component: 'management', level: 'warn', res: { statusCode: 401 } });
    expect(JSON.stringify(lines)).not.toContain('Bearer tok');
    expect(lines.some((l) => l.req?.url === '/dist/owners')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('user-42-email');
    expect(lines.filter((l) => l.component === 'client-api' && l.req?.url?.startsWith('/v1/cache/'))).toEqual([]);
    // One `component` per line: log parsers keep one of duplicate keys (the core's components —
    // auth, membership, dist — are not nested under a `core` binding).
    expect(raw.filter((l) => l.split('"component":').length > 2)).toEqual([]);
    expect(lines.some((l) => l.component === 'auth')).toBe(true);
  });
});
