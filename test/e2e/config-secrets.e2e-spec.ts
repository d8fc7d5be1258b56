import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSelfSignedCertificate } from '@hypercache/transport/testing';
import { http } from '../support/http';
import { startNode } from '../support/start-node';

describe('GET /config never contains secrets', () => {
  it('shows neither the auth token nor TLS file paths or key material, only the spec fields', async () => {
    const token = 'tok-3f9a1c77e2b54d0c-super-secret';
    const cert = makeSelfSignedCertificate();
    const dir = mkdtempSync(join(tmpdir(), 'hc-config-secret-'));
    writeFileSync(join(dir, 'peer-cert.pem'), cert.cert);
    writeFileSync(join(dir, 'peer-key.pem'), cert.key);
    const node = await startNode({
      HYPERCACHE_AUTH_TOKEN: token,
      HYPERCACHE_DIST_TLS_CERT: join(dir, 'peer-cert.pem'),
      HYPERCACHE_DIST_TLS_KEY: join(dir, 'peer-key.pem'),
      HYPERCACHE_DIST_TLS_CA: join(dir, 'peer-cert.pem'),
    });
    const r = await http('GET', `${node.urls.mgmt}/config`, { token });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json()).sort()).toEqual(
      ['allocation', 'capacity', 'evictionAlgorithm', 'evictionInterval', 'expirationInterval', 'maxCacheSize', 'replication', 'virtualNodesPerNode'].sort(),
    );
    const keyBody = cert.key.toString().split('\n')[1];
    for (const secret of [token, 'super-secret', dir, 'peer-key.pem', 'peer-cert.pem', 'PRIVATE KEY', 'BEGIN', keyBody]) {
      expect(r.text).not.toContain(secret);
    }
    expect(r.text.toLowerCase()).not.toMatch(/token|secret|password|tls|cert|key"/);
  });
});
