import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { registerCleanup } from '../support/cleanup';
import { startRedis, type RedisServer } from '../support/redis';
import { until } from '../support/until';

/** One application process (test/hybrid-cache/app-process.cjs) driven over IPC. */
interface App {
  call<T = unknown>(op: string, args?: Record<string, unknown>): Promise<{ result: T; at: number }>;
}

async function startApp(l2: RedisServer, bp: RedisServer, nodeId: string): Promise<App> {
  const child: ChildProcess = fork(join(__dirname, 'app-process.cjs'), [], {
    env: { PATH: process.env.PATH ?? '', L2_PORT: String(l2.port), BP_PORT: String(bp.port), NODE_ID: nodeId },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  registerCleanup(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let next = 0;
  const pending = new Map<number, { resolve: (v: { result: unknown; at: number }) => void; reject: (e: Error) => void }>();
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`app ${nodeId} exited with ${code}`)));
    child.on('message', (m: { ready?: boolean; id?: number; ok?: boolean; result?: unknown; at?: number; error?: string }) => {
      if (m.ready) return resolve();
      const p = pending.get(m.id!);
      pending.delete(m.id!);
      if (m.ok) p?.resolve({ result: m.result, at: m.at! });
      else p?.reject(new Error(m.error));
    });
  });
  await ready;
  return {
    call: <T>(op: string, args?: Record<string, unknown>) =>
      new Promise<{ result: T; at: number }>((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve: resolve as (v: { result: unknown; at: number }) => void, reject });
        child.send({ id, op, args });
      }),
  };
}

/** Runs `op` in `writer` and measures how long until `reader` observes `key` = `expect` (ms). */
async function propagation(writer: App, reader: App, op: () => Promise<unknown>, key: string, expect: unknown): Promise<number> {
  const observed = reader.call<number>('waitFor', { key, expect, timeoutMs: 5_000 });
  const done = await (op() as Promise<{ at: number }>);
  const seen = (await observed).result;
  return Math.max(0, seen - done.at);
}

describe('two application processes on one Redis L2 + Redis backplane', () => {
  let l2: RedisServer;
  let bp: RedisServer;
  let a: App;
  let b: App;

  beforeAll(async () => {
    l2 = await startRedis();
    bp = await startRedis();
    [a, b] = await Promise.all([startApp(l2, bp, 'app-a'), startApp(l2, bp, 'app-b')]);
  }, 60_000);

  it('set, delete, deleteByTag, expireByTag and clear in one are observed in the other within 100 ms', async () => {
    const lag: Record<string, number> = {};
    await a.call('set', { key: 'k', value: 'v1' });
    expect((await b.call('get', { key: 'k' })).result).toEqual({ found: true, value: 'v1' }); // now in b's L1
    lag.set = await propagation(a, b, () => a.call('set', { key: 'k', value: 'v2' }), 'k', 'v2');
    lag.delete = await propagation(a, b, () => a.call('delete', { key: 'k' }), 'k', undefined);

    await b.call('set', { key: 't1', value: 'tagged', tags: ['products'] });
    expect((await b.call('get', { key: 't1' })).result).toEqual({ found: true, value: 'tagged' });
    lag.deleteByTag = await propagation(a, b, () => a.call('deleteByTag', { tag: 'products' }), 't1', undefined);

    await b.call('set', { key: 'e1', value: 'exp', tags: ['featured'] });
    lag.expireByTag = await propagation(a, b, () => a.call('expireByTag', { tag: 'featured' }), 'e1', undefined);

    await b.call('set', { key: 'c1', value: 'c' });
    lag.clear = await propagation(a, b, () => a.call('clear'), 'c1', undefined);
    expect((await b.call('l1Count')).result).toBe(0);

    for (const [op, ms] of Object.entries(lag)) expect({ op, ms: ms <= 100 }).toEqual({ op, ms: true });
  });

  it('after the backplane Redis restarts, neither process serves a value the other has changed meanwhile', async () => {
    await a.call('set', { key: 'ra', value: 'a1' });
    await b.call('set', { key: 'rb', value: 'b1' });
    expect((await a.call('get', { key: 'rb' })).result).toEqual({ found: true, value: 'b1' });
    expect((await b.call('get', { key: 'ra' })).result).toEqual({ found: true, value: 'a1' });
    const before = { a: (await a.call<number>('reconnects')).result, b: (await b.call<number>('reconnects')).result };

    await bp.stop(true);
    await a.call('set', { key: 'ra', value: 'a2' }); // L2 updated, publish lost → queued
    await b.call('set', { key: 'rb', value: 'b2' });
    await bp.start();

    await until(async () => (await a.call<number>('reconnects')).result > before.a && (await b.call<number>('reconnects')).result > before.b, 20_000, 50);
    expect((await b.call('get', { key: 'ra' })).result).toEqual({ found: true, value: 'a2' });
    expect((await a.call('get', { key: 'rb' })).result).toEqual({ found: true, value: 'b2' });
    // And live messages flow again.
    await propagation(a, b, () => a.call('set', { key: 'ra', value: 'a3' }), 'ra', 'a3');
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([a?.call('close'), b?.call('close')]);
  });
});
