import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { registerCleanup } from '../support/cleanup';
import { startRedis } from '../support/redis';
import { freePort } from '../support/server-process';
import { until } from '../support/until';

const ROOT = join(__dirname, '../..');

function startExample(port: number, redisPort: number): void {
  const child = spawn(process.execPath, [join(ROOT, 'examples/hybrid-cache/app.mjs')], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), REDIS_URL: `redis://127.0.0.1:${redisPort}` },
    stdio: 'ignore',
  });
  registerCleanup(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
}

async function json(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const r = await fetch(url, init);
  return (await r.json()) as Record<string, unknown>;
}

describe('examples/hybrid-cache', () => {
  it('two instances of the example app share Redis and stay coherent through the backplane', async () => {
    const redis = await startRedis();
    const [p1, p2] = [await freePort(), await freePort()];
    startExample(p1, redis.port);
    startExample(p2, redis.port);
    for (const p of [p1, p2]) await until(async () => (await fetch(`http://127.0.0.1:${p}/stats`)).ok, 20_000, 100);
    const first = await json(`http://127.0.0.1:${p1}/products/1`);
    expect(first).toMatchObject({ name: 'keyboard', source: 'database' });
    expect(await json(`http://127.0.0.1:${p1}/products/1`)).toEqual(first); // cached
    expect(await json(`http://127.0.0.1:${p2}/products/1`)).toEqual(first); // through Redis
    await json(`http://127.0.0.1:${p2}/products/1`, { method: 'PUT', body: JSON.stringify({ name: 'renamed' }) });
    await until(async () => (await json(`http://127.0.0.1:${p1}/products/1`)).name === 'renamed', 5_000, 20);
  });
});
