import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { http } from '../support/http';
import { startProcessCluster, type ProcNode } from '../support/process-cluster';
import { RespTestClient } from '../support/resp-client';
import { until } from '../support/until';

const run = promisify(execFile);
const TOKEN = 'resp-cluster-token-0123456789';

/** Real clients against a spawned 3-node cluster (replication 3), each node with its RESP listener. */
describe('RESP listener: real clients on a 3-node process cluster', () => {
  let nodes: ProcNode[];
  const port = (i: number) => nodes[i].ports.resp as number;
  const cli = async (i: number, ...args: string[]) => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port(i)), '--no-auth-warning', '-a', TOKEN, ...args])).stdout.trimEnd();

  beforeAll(async () => {
    nodes = await startProcessCluster(3, { HYPERCACHE_AUTH_TOKEN: TOKEN }, { resp: true });
  }, 180_000);

  it('redis-cli runs each supported command', async () => {
    const cases: Array<[string[], string | RegExp]> = [
      [['PING'], 'PONG'],
      [['ECHO', 'hello'], 'hello'],
      [['SELECT', '0'], 'OK'],
      [['SET', 'cli:a', 'v1'], 'OK'],
      [['SET', 'cli:a', 'v2', 'XX', 'GET'], 'v1'],
      [['SET', 'cli:b', 'x', 'NX', 'EX', '100'], 'OK'],
      [['SET', 'cli:b', 'y', 'NX'], ''],
      [['SET', 'cli:b', 'y', 'KEEPTTL'], 'OK'],
      [['TTL', 'cli:b'], /^(99|100)$/],
      [['PEXPIRE', 'cli:b', '50000'], '1'],
      [['PTTL', 'cli:b'], /^(49\d{3}|50000)$/],
      [['EXPIRE', 'cli:b', '70'], '1'],
      [['PERSIST', 'cli:b'], '1'],
      [['TTL', 'cli:b'], '-1'],
      [['GET', 'cli:a'], 'v2'],
      [['GETEX', 'cli:a', 'PX', '90000'], 'v2'],
      [['MSET', 'cli:c', '1', 'cli:d', '2'], 'OK'],
      [['MGET', 'cli:c', 'cli:d', 'cli:none'], '1\n2'],
      [['EXISTS', 'cli:c', 'cli:d', 'cli:none'], '2'],
      [['TYPE', 'cli:c'], 'string'],
      [['SCAN', '0', 'MATCH', 'cli:*', 'COUNT', '100'], '0\ncli:a\ncli:b\ncli:c\ncli:d'],
      [['DBSIZE'], /^\d+$/],
      [['GETDEL', 'cli:c'], '1'],
      [['DEL', 'cli:d', 'cli:none'], '1'],
      [['UNLINK', 'cli:a'], '1'],
      [['INFO', 'persistence'], /loading:0/],
      [['INFO'], /# Keyspace/],
      [['CLIENT', 'ID'], /^\d+$/],
      [['CLIENT', 'SETINFO', 'LIB-NAME', 'cli'], 'OK'],
      [['CONFIG', 'GET', 'appendonly'], 'appendonly\nno'],
      [['COMMAND', 'COUNT'], /^\d+$/],
      [['COMMAND', 'DOCS', 'get'], /summary/],
      [['HELLO', '3'], /proto 3/],
      [['FLUSHDB'], 'OK'],
      [['QUIT'], 'OK'],
    ];
    for (const [args, expected] of cases) {
      const out = await cli(0, ...args);
      if (typeof expected === 'string') expect([args.join(' '), out]).toEqual([args.join(' '), expected]);
      else expect([args.join(' '), out]).toEqual([args.join(' '), expect.stringMatching(expected)]);
    }
    expect(await cli(1, 'FOO', 'bar')).toMatch(/ERR unknown command 'FOO'/);
  }, 120_000);

  it('redis-cli without the token gets NOAUTH, with a wrong one WRONGPASS', async () => {
    const noAuth = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port(1)), 'GET', 'k']);
    expect(noAuth.stdout).toMatch(/NOAUTH Authentication required/);
    const wrong = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port(1)), '--no-auth-warning', '-a', 'nope', 'GET', 'k']);
    expect(wrong.stdout + wrong.stderr).toMatch(/WRONGPASS|NOAUTH/);
  }, 60_000);

  it('ioredis (RESP2) drives the commands and a pipeline of 1 000 commands on each node', async () => {
    const clients = nodes.map((_, i) => new Redis({ host: '127.0.0.1', port: port(i), password: TOKEN, lazyConnect: true, maxRetriesPerRequest: 1 }));
    try {
      for (const c of clients) await c.connect();
      const [a, b, c3] = clients;
      expect(await a.set('io:k', 'v', 'EX', 100)).toBe('OK');
      expect(await b.get('io:k')).toBe('v');
      expect(await c3.ttl('io:k')).toBeGreaterThan(90);
      expect(await b.mset('io:x', '1', 'io:y', '2')).toBe('OK');
      expect(await c3.mget('io:x', 'io:y', 'io:z')).toEqual(['1', '2', null]);
      expect(await a.del('io:x', 'io:y')).toBe(2);
      expect(await a.exists('io:x')).toBe(0);
      const bin = randomBytes(512);
      await a.set('io:bin', bin);
      expect((await c3.getBuffer('io:bin'))?.equals(bin)).toBe(true);
      for (const [i, cl] of clients.entries()) {
        const p = cl.pipeline();
        for (let j = 0; j < 500; j++) p.set(`io:p${i}:${j}`, `v${j}`).get(`io:p${i}:${j}`);
        const res = (await p.exec()) ?? [];
        expect(res).toHaveLength(1000);
        expect(res.every(([err], j) => err === null && res[j][1] === (j % 2 === 0 ? 'OK' : `v${(j - 1) / 2}`))).toBe(true);
      }
      expect(await a.get('nope')).toBeNull();
      await expect(a.call('LPUSH', 'l', 'x')).rejects.toThrow(/ERR unknown command/);
      expect(await a.ping()).toBe('PONG');
    } finally {
      clients.forEach((c) => c.disconnect());
    }
  }, 120_000);

  it('node-redis speaks RESP3 (HELLO 3 AUTH) and RESP2', async () => {
    for (const RESP of [3, 2] as const) {
      const client = createClient({ socket: { host: '127.0.0.1', port: port(2) }, password: TOKEN, RESP });
      client.on('error', () => undefined);
      await client.connect();
      try {
        expect(await client.set(`nr${RESP}:k`, 'v', { EX: 100 })).toBe('OK');
        expect(await client.get(`nr${RESP}:k`)).toBe('v');
        expect(await client.get(`nr${RESP}:missing`)).toBeNull();
        expect(await client.mGet([`nr${RESP}:k`, `nr${RESP}:missing`])).toEqual(['v', null]);
        expect(await client.exists(`nr${RESP}:k`)).toBe(1);
        expect(await client.ttl(`nr${RESP}:k`)).toBeGreaterThan(90);
        expect(await client.getDel(`nr${RESP}:k`)).toBe('v');
        expect(await client.dbSize()).toBeGreaterThanOrEqual(0);
        const replies = await Promise.all(Array.from({ length: 1000 }, (_, i) => client.set(`nr${RESP}:p${i}`, String(i))));
        expect(replies.every((r) => r === 'OK')).toBe(true);
        expect(await client.get(`nr${RESP}:p999`)).toBe('999');
      } finally {
        await client.close();
      }
    }
  }, 120_000);

  it('a key written over RESP on one node reads back over HTTP on another byte-exact, and the other way round', async () => {
    const v1 = randomBytes(2048);
    const c0 = await RespTestClient.open(port(0));
    expect(await c0.call('AUTH', TOKEN)).toBe('OK');
    expect(await c0.call('SET', 'x:resp', v1)).toBe('OK');
    const r = await http('GET', `${nodes[1].api}/v1/cache/x:resp`, { token: TOKEN });
    expect(r.status).toBe(200);
    expect(r.body.equals(v1)).toBe(true);
    const v2 = randomBytes(2048);
    expect((await http('PUT', `${nodes[2].api}/v1/cache/x:http`, { token: TOKEN, body: v2, headers: { 'content-type': 'application/octet-stream' } })).status).toBeLessThan(300);
    expect(Buffer.from((await c0.callRaw('GET', 'x:http')) as Buffer).equals(v2)).toBe(true);
  }, 60_000);

  it('malformed and huge frames get an error and a closed connection; the node keeps serving', async () => {
    for (const bad of ['*2\r\n$3\r\nGET\r\n$99999999999\r\n', '*1\r\n'.repeat(50), '*1\r\n?x\r\n', `*1\r\n$${5 * 1024 * 1024}\r\n`]) {
      const c = await RespTestClient.open(port(1));
      c.send(bad);
      await until(() => c.closed, 30_000);
      expect(c.text()).toMatch(/^-ERR Protocol error: /);
    }
    expect(await cli(1, 'PING')).toBe('PONG');
    expect((await http('GET', `${nodes[1].api}/healthz`)).status).toBe(200);
  }, 60_000);

  it('redis-benchmark -t get,set -P 16 -n 20000 completes with no errors', async () => {
    const { stdout, stderr } = await run('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port(0)), '-a', TOKEN, '-t', 'get,set', '-P', '16', '-n', '20000', '-q'], { timeout: 240_000 });
    const out = stdout + stderr;
    expect(out).toMatch(/SET: [\d.]+ requests per second/);
    expect(out).toMatch(/GET: [\d.]+ requests per second/);
    expect(out).not.toMatch(/error|ERR/i);
  }, 300_000);
});
