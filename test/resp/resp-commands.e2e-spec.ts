import { randomBytes } from 'node:crypto';
import { http } from '../support/http';
import { RespTestClient } from '../support/resp-client';
import { startNode, type TestNode } from '../support/start-node';
import { until } from '../support/until';

/** One in-process node with the RESP listener on an ephemeral port and a clock the tests move. */
describe('RESP listener: commands over a real node', () => {
  let node: TestNode;
  let now = Date.UTC(2026, 0, 1);
  let c: RespTestClient;

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_RESP_ADDR: '127.0.0.1:0', HYPERCACHE_MAX_BODY_BYTES: String(64 * 1024) }, { clock: () => now });
    c = await RespTestClient.open(node.ports.resp as number);
  });

  it('binds the listener and reports its port', () => {
    expect(node.ports.resp).toBeGreaterThan(0);
    expect(node.resp?.commands.has('get')).toBe(true);
  });

  it('PING, ECHO, SELECT 0 only, unknown commands and wrong arity are errors that keep the connection', async () => {
    expect(await c.call('PING')).toBe('PONG');
    expect(await c.call('ping', 'hi')).toBe('hi');
    expect(await c.call('ECHO', 'x y')).toBe('x y');
    expect(await c.call('SELECT', '0')).toBe('OK');
    expect(await c.call('SELECT', '1')).toEqual({ err: 'ERR DB index is out of range' });
    expect(await c.call('LPUSH', 'l', 'a')).toEqual({ err: "ERR unknown command 'LPUSH', with args beginning with: 'l' 'a'" });
    expect(await c.call('GET')).toEqual({ err: "ERR wrong number of arguments for 'get' command" });
    expect(await c.call('PING')).toBe('PONG');
  });

  it('SET / GET, byte-exact binary values, and SET options NX, XX, GET, EX, PX, EXAT, PXAT, KEEPTTL', async () => {
    const bin = randomBytes(300);
    expect(await c.call('SET', 'bin', bin)).toBe('OK');
    expect(Buffer.from((await c.callRaw('GET', 'bin')) as Buffer).equals(bin)).toBe(true);
    expect(await c.call('GET', 'missing')).toBeNull();
    expect(await c.call('SET', 'nx', 'a', 'NX')).toBe('OK');
    expect(await c.call('SET', 'nx', 'b', 'NX')).toBeNull();
    expect(await c.call('SET', 'nx', 'c', 'NX', 'GET')).toBe('a');
    expect(await c.call('SET', 'xx', 'a', 'XX')).toBeNull();
    expect(await c.call('GET', 'xx')).toBeNull();
    expect(await c.call('SET', 'nx', 'b', 'XX', 'GET')).toBe('a');
    expect(await c.call('GET', 'nx')).toBe('b');
    expect(await c.call('SET', 'ex', 'v', 'EX', '10')).toBe('OK');
    expect(await c.call('PTTL', 'ex')).toBe(10_000);
    expect(await c.call('SET', 'px', 'v', 'PX', '1500')).toBe('OK');
    expect(await c.call('PTTL', 'px')).toBe(1500);
    expect(await c.call('TTL', 'px')).toBe(2);
    expect(await c.call('SET', 'exat', 'v', 'EXAT', String(now / 1000 + 30))).toBe('OK');
    expect(await c.call('TTL', 'exat')).toBe(30);
    expect(await c.call('SET', 'pxat', 'v', 'PXAT', String(now + 700))).toBe('OK');
    expect(await c.call('PTTL', 'pxat')).toBe(700);
    expect(await c.call('SET', 'ex', 'w', 'KEEPTTL')).toBe('OK');
    expect(await c.call('PTTL', 'ex')).toBe(10_000);
    expect(await c.call('SET', 'ex', 'w2')).toBe('OK');
    expect(await c.call('TTL', 'ex')).toBe(-1);
    expect(await c.call('SET', 'past', 'v', 'PXAT', String(now - 1))).toBe('OK');
    expect(await c.call('EXISTS', 'past')).toBe(0);
    expect(await c.call('SET', 'k', 'v', 'EX', '0')).toEqual({ err: "ERR invalid expire time in 'set' command" });
    expect(await c.call('SET', 'k', 'v', 'EX', 'x')).toEqual({ err: 'ERR value is not an integer or out of range' });
    expect(await c.call('SET', 'k', 'v', 'NX', 'XX')).toEqual({ err: 'ERR syntax error' });
    expect(await c.call('SET', 'k', 'v', 'EX', '1', 'PX', '1')).toEqual({ err: 'ERR syntax error' });
  });

  it('expires keys on the node clock; TTL/PTTL answer -2 and -1', async () => {
    await c.call('SET', 'short', 'v', 'PX', '100');
    now += 150;
    expect(await c.call('GET', 'short')).toBeNull();
    expect(await c.call('TTL', 'short')).toBe(-2);
    await c.call('SET', 'forever', 'v');
    expect(await c.call('PTTL', 'forever')).toBe(-1);
  });

  it('GETDEL, GETEX (EX, PERSIST), DEL / UNLINK counts, EXISTS counts duplicates, TYPE', async () => {
    await c.call('SET', 'gd', 'v');
    expect(await c.call('GETDEL', 'gd')).toBe('v');
    expect(await c.call('GETDEL', 'gd')).toBeNull();
    await c.call('SET', 'ge', 'v');
    expect(await c.call('GETEX', 'ge', 'EX', '20')).toBe('v');
    expect(await c.call('TTL', 'ge')).toBe(20);
    expect(await c.call('GETEX', 'ge', 'PERSIST')).toBe('v');
    expect(await c.call('TTL', 'ge')).toBe(-1);
    expect(await c.call('GETEX', 'nope')).toBeNull();
    await c.call('MSET', 'd1', '1', 'd2', '2', 'd3', '3');
    expect(await c.call('EXISTS', 'd1', 'd1', 'd2', 'zz')).toBe(3);
    expect(await c.call('DEL', 'd1', 'd1', 'zz')).toBe(1);
    expect(await c.call('UNLINK', 'd2', 'd3')).toBe(2);
    expect(await c.call('EXISTS', 'd1', 'd2', 'd3')).toBe(0);
    await c.call('SET', 't', 'v');
    expect(await c.call('TYPE', 't')).toBe('string');
    expect(await c.call('TYPE', 'zz')).toBe('none');
  });

  it('MGET / MSET, and MSET with an odd argument count is an error', async () => {
    expect(await c.call('MSET', 'm1', 'a', 'm2', 'b')).toBe('OK');
    expect(await c.call('MGET', 'm1', 'zz', 'm2')).toEqual(['a', null, 'b']);
    expect(await c.call('MSET', 'm1', 'a', 'm2')).toEqual({ err: "ERR wrong number of arguments for 'mset' command" });
  });

  it('EXPIRE / PEXPIRE (NX, XX, GT, LT, non-positive deletes) and PERSIST', async () => {
    await c.call('SET', 'e', 'v');
    expect(await c.call('EXPIRE', 'zz', '10')).toBe(0);
    expect(await c.call('EXPIRE', 'e', '10', 'XX')).toBe(0);
    expect(await c.call('EXPIRE', 'e', '10', 'NX')).toBe(1);
    expect(await c.call('TTL', 'e')).toBe(10);
    expect(await c.call('EXPIRE', 'e', '5', 'GT')).toBe(0);
    expect(await c.call('EXPIRE', 'e', '5', 'LT')).toBe(1);
    expect(await c.call('PEXPIRE', 'e', '2500')).toBe(1);
    expect(await c.call('PTTL', 'e')).toBe(2500);
    expect(await c.call('PERSIST', 'e')).toBe(1);
    expect(await c.call('PERSIST', 'e')).toBe(0);
    expect(await c.call('GET', 'e')).toBe('v');
    expect(await c.call('EXPIRE', 'e', '0')).toBe(1);
    expect(await c.call('EXISTS', 'e')).toBe(0);
  });

  it('SCAN pages the key browser (MATCH glob / exact, COUNT, cursor back to 0) and DBSIZE counts keys', async () => {
    await c.call('MSET', 'scan:a', '1', 'scan:b', '2', 'scan:c', '3', 'scanx', '4');
    const seen: string[] = [];
    let cursor = '0';
    let rounds = 0;
    do {
      const [next, keys] = (await c.call('SCAN', cursor, 'MATCH', 'scan:*', 'COUNT', '2')) as [string, string[]];
      seen.push(...keys);
      cursor = next;
      rounds++;
    } while (cursor !== '0' && rounds < 10);
    expect(seen.sort()).toEqual(['scan:a', 'scan:b', 'scan:c']);
    expect(rounds).toBe(2);
    expect(await c.call('SCAN', '0', 'MATCH', 'scanx')).toEqual(['0', ['scanx']]);
    expect(await c.call('SCAN', '0', 'TYPE', 'hash')).toEqual(['0', []]);
    expect(await c.call('SCAN', 'abc')).toEqual({ err: 'ERR invalid cursor' });
    const all = (await c.call('SCAN', '0', 'COUNT', '500')) as [string, string[]];
    expect(await c.call('DBSIZE')).toBe(all[1].length);
  });

  it('INFO (loading:0, keyspace), CLIENT ID / SETNAME / GETNAME / SETINFO, CONFIG GET, COMMAND', async () => {
    const info = (await c.call('INFO')) as string;
    expect(info).toMatch(/^# Server\r\n/);
    expect(info).toContain('loading:0');
    expect(info).toContain('connected_clients:');
    expect(info).toContain('# Keyspace');
    expect(info).not.toContain('db0:');
    expect(await c.call('INFO', 'keyspace')).toMatch(/^# Keyspace\r\ndb0:keys=\d+,expires=0,avg_ttl=0\r\n/);
    expect(await c.call('INFO', 'all')).toMatch(/db0:keys=\d+/);
    expect(await c.call('INFO', 'persistence')).toBe('# Persistence\r\nloading:0\r\n');
    expect(typeof (await c.call('CLIENT', 'ID'))).toBe('number');
    expect(await c.call('CLIENT', 'GETNAME')).toBeNull();
    expect(await c.call('CLIENT', 'SETNAME', 'me')).toBe('OK');
    expect(await c.call('CLIENT', 'GETNAME')).toBe('me');
    expect(await c.call('CLIENT', 'SETINFO', 'LIB-NAME', 'test')).toBe('OK');
    expect(await c.call('CLIENT', 'KILL', 'x')).toMatchObject({ err: expect.stringMatching(/^ERR unknown subcommand/) });
    expect(await c.call('CONFIG', 'GET', 'save')).toEqual(['save', '']);
    expect(await c.call('CONFIG', 'GET', 'appendonly', 'database*')).toEqual(['appendonly', 'no', 'databases', '1']);
    expect(await c.call('CONFIG', 'SET', 'save', '')).toMatchObject({ err: expect.stringMatching(/^ERR unknown subcommand/) });
    const count = (await c.call('COMMAND', 'COUNT')) as number;
    expect(count).toBe(node.resp?.commands.size);
    expect(await c.call('COMMAND', 'INFO', 'get')).toEqual([['get', 2, ['readonly', 'fast'], 1, 1, 1, [], [], [], []]]);
    const docs = (await c.call('COMMAND', 'DOCS', 'set')) as Reply[];
    expect(docs[0]).toBe('set');
    expect((await c.call('COMMAND')) as unknown[]).toHaveLength(count);
  });

  it('answers 1 000 pipelined commands in order, in one write', async () => {
    const cmds = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? ['SET', `p${i}`, `v${i}`] : ['GET', `p${i - 1}`]));
    const replies = await c.pipeline(cmds);
    expect(replies).toEqual(cmds.map((cmd, i) => (cmd[0] === 'SET' ? 'OK' : `v${i - 1}`)));
  });

  it('a key written over RESP reads back over HTTP byte-exact, and the other way round', async () => {
    const v1 = randomBytes(1000);
    await c.call('SET', 'cross', v1);
    const r = await http('GET', `${node.urls.api}/v1/cache/cross`);
    expect(r.status).toBe(200);
    expect(r.body.equals(v1)).toBe(true);
    const v2 = randomBytes(1000);
    expect((await http('PUT', `${node.urls.api}/v1/cache/cross2`, { body: v2, headers: { 'content-type': 'application/octet-stream' } })).status).toBeLessThan(300);
    expect(Buffer.from((await c.callRaw('GET', 'cross2')) as Buffer).equals(v2)).toBe(true);
  });

  it('HELLO 3 switches the connection to RESP3 (maps, nulls); HELLO 4 is NOPROTO', async () => {
    const r3 = await RespTestClient.open(node.ports.resp as number);
    r3.send('*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n');
    await until(() => r3.text().includes('modules'));
    expect(r3.text()).toMatch(/^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n/);
    expect(r3.text()).toContain('$5\r\nproto\r\n:3\r\n');
    r3.send('*2\r\n$3\r\nGET\r\n$7\r\nmissing\r\n*2\r\n$4\r\nINFO\r\n$11\r\npersistence\r\n');
    await until(() => r3.text().endsWith('loading:0\r\n\r\n'));
    // GET of a missing key is RESP3 null `_`, INFO a verbatim string `=`.
    expect(r3.text()).toContain('_\r\n=');
    expect(await c.call('HELLO', '4')).toEqual({ err: 'NOPROTO unsupported protocol version' });
    expect(await c.call('HELLO', '2')).toEqual(['server', 'redis', 'version', '7.0.0', 'proto', 2, 'id', expect.any(Number), 'mode', 'standalone', 'role', 'master', 'modules', []]);
  });

  it('a malformed frame gets a protocol error and a closed connection; the node keeps serving', async () => {
    for (const bad of ['*1\r\n!3\r\n', `*2\r\n$3\r\nGET\r\n$${64 * 1024 + 1}\r\n`, '*1\r\n'.repeat(20), '*1\r\n:1\r\n']) {
      const b = await RespTestClient.open(node.ports.resp as number);
      b.send(`*1\r\n$4\r\nPING\r\n${bad}`);
      await until(() => b.closed);
      expect(b.text()).toMatch(/^\+PONG\r\n-ERR Protocol error: .+\r\n$/);
    }
    expect(await c.call('PING')).toBe('PONG');
  });

  it('empty and null arrays are no-ops (as Redis)', async () => {
    const e = await RespTestClient.open(node.ports.resp as number);
    e.send('*0\r\n*-1\r\n');
    expect(await e.call('PING')).toBe('PONG');
    expect(e.text()).toBe('+PONG\r\n');
  });

  it('bounds queued replies: a client that does not read stops the processing of its commands, not the node', async () => {
    const big = Buffer.alloc(60 * 1024, 0x62);
    expect(await c.call('SET', 'big', big)).toBe('OK');
    const slow = await RespTestClient.open(node.ports.resp as number);
    slow.socket.pause();
    const stats = node.resp!.stats;
    const before = stats.totalCommands;
    const baseline = process.memoryUsage().arrayBuffers;
    const n = 3000;
    slow.send(Buffer.concat(Array.from({ length: n }, () => Buffer.from('*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n'))));
    await until(() => stats.totalCommands >= before + 60);
    // 3000 × 60 KiB = 176 MiB of replies if nothing stopped; the bound is 4 MiB per connection.
    expect(stats.totalCommands - before).toBeLessThan(n / 2);
    expect(process.memoryUsage().arrayBuffers - baseline).toBeLessThan(64 * 1024 * 1024);
    slow.socket.resume();
    // Each reply is `$61440\r\n` + the value + `\r\n`.
    await until(() => slow.bytes.reduce((sum, b) => sum + b.length, 0) >= n * (big.length + 10), 60_000);
    expect(stats.totalCommands - before).toBe(n);
    expect(slow.text().length).toBe(n * (big.length + 10));
  }, 90_000);

  it('QUIT answers OK and closes', async () => {
    const q = await RespTestClient.open(node.ports.resp as number);
    expect(await q.call('QUIT')).toBe('OK');
    await until(() => q.closed);
  });

  it('counts commands and errors by command on /metrics', async () => {
    await c.call('GET', 'k');
    await c.call('NOSUCH');
    const text = (await http('GET', `${node.urls.mgmt}/metrics`)).text;
    expect(text).toMatch(/resp_commands_total\{command="get"\} [1-9]/);
    expect(text).toMatch(/resp_commands_total\{command="unknown"\} [1-9]/);
    expect(text).toMatch(/resp_command_errors_total\{command="unknown",error="ERR"\} [1-9]/);
  });

  it('FLUSHDB clears the node; while draining writes answer DRAINING and reads keep working', async () => {
    await c.call('SET', 'f', 'v');
    expect(await c.call('FLUSHDB')).toBe('OK');
    expect(await c.call('GET', 'f')).toBeNull();
    await c.call('SET', 'dr', 'v');
    node.node.state.markDraining();
    expect(await c.call('SET', 'dr', 'w')).toMatchObject({ err: expect.stringMatching(/^DRAINING /) });
    expect(await c.call('DEL', 'dr')).toMatchObject({ err: expect.stringMatching(/^DRAINING /) });
    expect(await c.call('GET', 'dr')).toBe('v');
  });
});

type Reply = import('../support/resp-client').Reply;
