import { http } from '../support/http';
import { writePolicyFile } from '../support/policy-file';
import { RespTestClient } from '../support/resp-client';
import { startNode, type TestNode } from '../support/start-node';
import { until } from '../support/until';

const POLICY = `
tokens:
  - { id: reader, token: "tok-read-0123456789", scopes: [read] }
  - { id: writer, token: "tok-write-0123456789", scopes: [write] }
  - { id: rw, token: "tok-rw-0123456789", scopes: [read, write] }
  - { id: root, token: "tok-admin-0123456789", scopes: [read, write, admin] }
`;

/** Auth on the RESP listener: the client API's policy, tokens as passwords, scopes per command. */
describe('RESP listener: auth', () => {
  let node: TestNode;
  const open = () => RespTestClient.open(node.ports.resp as number);

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_RESP_ADDR: '127.0.0.1:0', HYPERCACHE_AUTH_CONFIG: writePolicyFile(POLICY) });
  });

  it('answers NOAUTH before AUTH (QUIT, AUTH and HELLO still run)', async () => {
    const c = await open();
    expect(await c.call('GET', 'k')).toEqual({ err: 'NOAUTH Authentication required.' });
    expect(await c.call('PING')).toEqual({ err: 'NOAUTH Authentication required.' });
    expect(await c.call('HELLO', '3')).toMatchObject({ err: expect.stringMatching(/^NOAUTH HELLO must be called/) });
    expect(await c.call('QUIT')).toBe('OK');
    await until(() => c.closed);
  });

  it('refuses a wrong token and a user name that is neither default nor the identity (WRONGPASS)', async () => {
    const c = await open();
    expect(await c.call('AUTH', 'nope')).toEqual({ err: 'WRONGPASS invalid username-password pair or user is disabled.' });
    expect(await c.call('AUTH', 'writer', 'tok-read-0123456789')).toEqual({ err: 'WRONGPASS invalid username-password pair or user is disabled.' });
    expect(await c.call('GET', 'k')).toEqual({ err: 'NOAUTH Authentication required.' });
    expect(await c.call('AUTH', 'reader', 'tok-read-0123456789')).toBe('OK');
    expect(await c.call('AUTH', 'default', 'tok-read-0123456789')).toBe('OK');
  });

  it('a read token reads but gets NOPERM on writes; a write token writes but cannot read', async () => {
    const w = await open();
    expect(await w.call('AUTH', 'tok-write-0123456789')).toBe('OK');
    expect(await w.call('SET', 'k', 'v')).toBe('OK');
    expect(await w.call('GET', 'k')).toMatchObject({ err: expect.stringMatching(/^NOPERM User writer has no permissions to run the 'get' command/) });
    const r = await open();
    expect(await r.call('AUTH', 'tok-read-0123456789')).toBe('OK');
    expect(await r.call('GET', 'k')).toBe('v');
    expect(await r.call('SET', 'k', 'w')).toMatchObject({ err: expect.stringMatching(/^NOPERM User reader has no permissions to run the 'set' command/) });
    expect(await r.call('PING')).toBe('PONG');
  });

  it('FLUSHDB and FLUSHALL need the admin scope', async () => {
    const rw = await open();
    expect(await rw.call('AUTH', 'tok-rw-0123456789')).toBe('OK');
    expect(await rw.call('FLUSHDB')).toMatchObject({ err: expect.stringMatching(/^NOPERM /) });
    expect(await rw.call('FLUSHALL')).toMatchObject({ err: expect.stringMatching(/^NOPERM /) });
    const root = await open();
    expect(await root.call('HELLO', '2', 'AUTH', 'root', 'tok-admin-0123456789')).toContain('proto');
    expect(await root.call('FLUSHALL')).toBe('OK');
    expect(await rw.call('GET', 'k')).toBeNull();
  });

  it('counts auth refusals on /metrics by command and error prefix', async () => {
    const text = (await http('GET', `${node.urls.mgmt}/metrics`, { token: 'tok-admin-0123456789' })).text;
    expect(text).toMatch(/resp_command_errors_total\{command="get",error="NOAUTH"\} [1-9]/);
    expect(text).toMatch(/resp_command_errors_total\{command="set",error="NOPERM"\} [1-9]/);
  });
});
