import { Agent, request } from 'undici';
import { writePolicyFile } from '../support/policy-file';
import { startNode, type TestNode } from '../support/start-node';
import { TestPki, type IssuedCert } from '../support/test-pki';

const PEER_TOKEN = 'peer-token';

/** One HTTPS request over a fresh connection presenting `client` (or no certificate). */
async function tlsGet(url: string, ca: string, client?: IssuedCert, token?: string): Promise<{ status: number; body: any }> {
  const dispatcher = new Agent({ connect: { ca, ...(client ? { cert: client.cert, key: client.key } : {}) } });
  try {
    const res = await request(url, { dispatcher, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await res.body.text();
    return { status: res.statusCode, body: text.startsWith('{') ? JSON.parse(text) : text };
  } finally {
    await dispatcher.close();
  }
}

describe('mTLS on the client API (auth.md §6)', () => {
  let pki: TestPki;
  let node: TestNode;
  let api: string;

  beforeAll(async () => {
    pki = new TestPki();
    node = await startNode({
      ...pki.apiTlsEnv(),
      HYPERCACHE_AUTH_CONFIG: writePolicyFile(`
cert_identities:
  - { subject_cn: app.internal, scopes: [read, write] }
tokens:
  - { id: ops, token: ops-token, scopes: [read] }
`),
      HYPERCACHE_AUTH_TOKEN: PEER_TOKEN,
    });
    api = `https://127.0.0.1:${node.ports.api}`;
  });

  it('maps a verified client certificate with a listed CN to its identity', async () => {
    const r = await tlsGet(`${api}/v1/me`, pki.ca.cert, pki.client('app.internal'));
    expect(r).toEqual({ status: 200, body: { id: 'app.internal', scopes: ['read', 'write'], capabilities: ['cache.read', 'cache.write'] } });
  });

  it('answers 401 for a verified certificate whose CN is not listed', async () => {
    const r = await tlsGet(`${api}/v1/me`, pki.ca.cert, pki.client('stranger.internal'));
    expect(r).toEqual({ status: 401, body: { error: 'unauthorized', code: 'UNAUTHORIZED' } });
  });

  it('lets an unlisted certificate still authenticate with a bearer token (chain order)', async () => {
    const r = await tlsGet(`${api}/v1/me`, pki.ca.cert, pki.client('stranger.internal'), 'ops-token');
    expect(r.body.id).toBe('ops');
  });

  it('prefers a static token over the certificate (first match wins)', async () => {
    const r = await tlsGet(`${api}/v1/me`, pki.ca.cert, pki.client('app.internal'), 'ops-token');
    expect(r.body).toMatchObject({ id: 'ops', scopes: ['read'] });
  });

  it('rejects a client without a certificate at the handshake', async () => {
    await expect(tlsGet(`${api}/healthz`, pki.ca.cert)).rejects.toThrow();
  });

  it('rejects a certificate from another CA at the handshake, whatever its CN', async () => {
    const other = new TestPki('other-ca');
    await expect(tlsGet(`${api}/healthz`, pki.ca.cert, other.client('app.internal'))).rejects.toThrow();
  });

  it('serves public routes to any verified client', async () => {
    expect(await tlsGet(`${api}/healthz`, pki.ca.cert, pki.client('stranger.internal'))).toEqual({ status: 200, body: 'ok' });
  });
});

describe('TLS without client certificates', () => {
  it('serves HTTPS with bearer auth from the same code path', async () => {
    const pki = new TestPki();
    const node = await startNode({
      ...pki.apiTlsEnv({ clientCa: false }),
      HYPERCACHE_AUTH_TOKEN: 'legacy',
    });
    const api = `https://127.0.0.1:${node.ports.api}`;
    expect((await tlsGet(`${api}/v1/me`, pki.ca.cert)).status).toBe(401);
    expect((await tlsGet(`${api}/v1/me`, pki.ca.cert, undefined, 'legacy')).body.id).toBe('default');
  });
});
