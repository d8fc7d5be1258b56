import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { http } from '../support/http';
import { writePolicyFile } from '../support/policy-file';
import { freePort, spawnServer, until } from '../support/server-process';

async function env(extra: Record<string, string>): Promise<Record<string, string>> {
  return {
    HYPERCACHE_NODE_ID: 'auth-proc',
    HYPERCACHE_API_ADDR: `127.0.0.1:${await freePort()}`,
    HYPERCACHE_MGMT_ADDR: `127.0.0.1:${await freePort()}`,
    HYPERCACHE_DIST_ADDR: `127.0.0.1:${await freePort()}`,
    ...extra,
  };
}

describe('hypercache-server auth boot (fail closed)', () => {
  const badFile = () => writePolicyFile('tokens:\n  - id: a\n    token: secret-in-file\n    scopes: [read, sudo]\n');
  const missingFile = () => join(writePolicyFile(''), '..', 'missing.yaml');
  const malformedFile = () => writePolicyFile('tokens: [ {id: a');

  it.each([
    ['a policy file with an unknown scope', badFile, /HYPERCACHE_AUTH_CONFIG: invalid policy: tokens\[0\]\.scopes\[1\]: unknown scope "sudo"/],
    ['a missing policy file', missingFile, /HYPERCACHE_AUTH_CONFIG: cannot read policy file .*missing\.yaml/],
    ['a malformed policy file', malformedFile, /HYPERCACHE_AUTH_CONFIG: malformed YAML/],
  ])('exits 1 on %s, naming the problem and never the token', async (_name, path, message) => {
    const p = spawnServer(await env({ HYPERCACHE_AUTH_CONFIG: path(), HYPERCACHE_AUTH_TOKEN: 'peer' }));
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(message);
    expect(p.output()).not.toContain('secret-in-file');
  });

  it('exits 1 when OIDC discovery fails', async () => {
    const p = spawnServer(await env({ HYPERCACHE_OIDC_ISSUER: `http://127.0.0.1:${await freePort()}`, HYPERCACHE_OIDC_AUDIENCE: 'a', HYPERCACHE_AUTH_TOKEN: 'peer' }));
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/HYPERCACHE_OIDC_ISSUER: OIDC discovery .* failed/);
  });

  it('exits 1 on a client CA file without certificates', async () => {
    const ca = writePolicyFile('not a certificate');
    const p = spawnServer(await env({ HYPERCACHE_API_TLS_CERT: ca, HYPERCACHE_API_TLS_KEY: ca, HYPERCACHE_API_TLS_CLIENT_CA: ca }));
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('HYPERCACHE_API_TLS_CLIENT_CA');
  });

  it('boots with a valid policy file and enforces it', async () => {
    const path = writePolicyFile('tokens: [{ id: app, token: app-token, scopes: [read, write] }]\n');
    writeFileSync(path, 'tokens: [{ id: app, token: app-token, scopes: [read, write] }]\n');
    const e = await env({ HYPERCACHE_AUTH_CONFIG: path, HYPERCACHE_AUTH_TOKEN: 'peer' });
    const p = spawnServer(e);
    const api = `http://${e.HYPERCACHE_API_ADDR}`;
    await until(async () => (await http('GET', `${api}/healthz`)).status === 200);
    expect((await http('PUT', `${api}/v1/cache/k`, { body: 'v' })).status).toBe(401);
    expect((await http('PUT', `${api}/v1/cache/k`, { body: 'v', token: 'app-token' })).status).toBe(200);
    expect(p.output()).toContain('client API auth configured');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });
});
