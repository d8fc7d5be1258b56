import { HypercacheClient } from '@hypercache/client';
import { writePolicyFile } from '../support/policy-file';
import { startNode, type TestNode } from '../support/start-node';
import { TestIdp } from '../support/test-idp';
import { TestPki } from '../support/test-pki';

const PEER_TOKEN = 'peer-token';

describe('@hypercache/client credentials: mTLS and an OIDC token provider (issue 17)', () => {
  describe('mTLS', () => {
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
`),
        HYPERCACHE_AUTH_TOKEN: PEER_TOKEN,
      });
      api = `https://127.0.0.1:${node.ports.api}`;
    });

    it('authenticates with a client certificate, routes over the https URL the topology advertises, and reads back', async () => {
      const cert = pki.client('app.internal');
      const client = new HypercacheClient({ endpoints: api, tls: { ca: pki.ca.cert, cert: cert.cert, key: cert.key } });
      try {
        expect(await client.me()).toMatchObject({ id: 'app.internal' });
        const t = await client.topology();
        expect(t.members[0].apiUrl).toBe(api);
        await client.put('m', 'tls-value');
        expect(await client.getString('m')).toBe('tls-value');
      } finally {
        await client.close();
      }
    });

    it('is rejected with a typed error when the certificate is not listed', async () => {
      const cert = pki.client('stranger.internal');
      const client = new HypercacheClient({ endpoints: api, tls: { ca: pki.ca.cert, cert: cert.cert, key: cert.key } });
      try {
        await expect(client.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
      } finally {
        await client.close();
      }
    });
  });

  describe('OIDC token provider', () => {
    let idp: TestIdp;
    let node: TestNode;

    beforeAll(async () => {
      idp = await TestIdp.start('hc-api');
      node = await startNode({ HYPERCACHE_OIDC_ISSUER: idp.url, HYPERCACHE_OIDC_AUDIENCE: 'hc-api', HYPERCACHE_AUTH_TOKEN: PEER_TOKEN });
    });

    it('asks the provider once for concurrent calls, again before expiry, and after a 401', async () => {
      let now = Date.now();
      const issued: string[] = [];
      let nextBad = false;
      const client = new HypercacheClient({
        endpoints: node.urls.api,
        now: () => now,
        refreshSkewMs: 30_000,
        tokenProvider: async () => {
          const expiresAt = Math.floor(now / 1000) + 120;
          const bad = nextBad;
          nextBad = false;
          const token = await idp.sign({ sub: `app-${issued.length}`, scope: 'read write' }, { expiresAt, ...(bad ? { foreignKey: await TestIdp.foreignKey() } : {}) });
          issued.push(token);
          return { token, expiresAtMs: expiresAt * 1000 };
        },
      });
      try {
        const ids = await Promise.all(Array.from({ length: 10 }, () => client.me()));
        expect(new Set(ids.map((i) => i.id))).toEqual(new Set(['app-0']));
        // Topology load + 10 calls shared one token.
        expect(issued).toHaveLength(1);
        await client.put('o', 'oidc');
        expect(await client.getString('o')).toBe('oidc');
        expect(issued).toHaveLength(1);
        // 100 s later the 120 s token is within the 30 s refresh window: a new one is fetched first.
        now += 100_000;
        expect((await client.me()).id).toBe('app-1');
        expect(issued).toHaveLength(2);
        // The next token the provider hands out is refused (401): the client asks it again once
        // and the call succeeds with the new token.
        nextBad = true;
        now += 100_000;
        expect((await client.me()).id).toBe('app-3');
        expect(issued).toHaveLength(4);
      } finally {
        await client.close();
      }
    });
  });
});
