import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { makeSelfSignedCertificate } from '@hypercache/transport/testing';
import { http } from '../support/http';
import { startInProcessCluster } from '../support/start-node';

describe('dist listener over TLS', () => {
  it('replicates between nodes over TLS with verified peer certificates and refuses plaintext', async () => {
    const cert = makeSelfSignedCertificate();
    const dir = mkdtempSync(join(tmpdir(), 'hc-dist-tls-'));
    writeFileSync(join(dir, 'cert.pem'), cert.cert);
    writeFileSync(join(dir, 'key.pem'), cert.key);
    const [a, b] = await startInProcessCluster(2, {
      HYPERCACHE_REPLICATION: '2',
      // Both nodes own every key: the primary coordinator makes the write below a forward (F15).
      HYPERCACHE_WRITE_COORDINATOR: 'primary',
      HYPERCACHE_DIST_TLS_CERT: join(dir, 'cert.pem'),
      HYPERCACHE_DIST_TLS_KEY: join(dir, 'key.pem'),
      HYPERCACHE_DIST_TLS_CA: join(dir, 'cert.pem'),
    });
    // Find a key whose primary is node-2, write it through node-1: forward + fan-out cross TLS.
    let key = '';
    for (let i = 0; ; i++) {
      const owners = (await http('GET', `${a.urls.api}/v1/owners/tls-${i}`)).json().owners;
      if (owners[0] === 'node-2') {
        key = `tls-${i}`;
        break;
      }
    }
    const put = await http('PUT', `${a.urls.api}/v1/cache/${key}`, { body: 'secret' });
    expect({ status: put.status, body: put.text }).toMatchObject({ status: 200 });
    expect((await http('GET', `${b.urls.api}/v1/cache/${key}`)).text).toBe('secret');
    expect((await http('GET', `${a.urls.mgmt}/dist/metrics`)).json().ForwardSet).toBeGreaterThanOrEqual(1);
    await expect(request(`http://127.0.0.1:${b.ports.dist}/health`)).rejects.toThrow();
  });
});
