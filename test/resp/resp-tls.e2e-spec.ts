import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { writePolicyFile } from '../support/policy-file';
import { registerCleanup } from '../support/cleanup';
import { encodeCommand } from '../support/resp-client';
import { startNode, type TestNode } from '../support/start-node';
import { TestPki, type IssuedCert } from '../support/test-pki';
import { until } from '../support/until';

/** A TLS RESP connection collecting every byte read. */
async function tlsClient(port: number, pki: TestPki, client?: IssuedCert): Promise<{ s: TLSSocket; text: () => string; send: (...args: string[]) => void }> {
  const s = tlsConnect({ host: '127.0.0.1', port, ca: pki.ca.cert, ...(client ? { cert: client.cert, key: client.key } : {}) });
  registerCleanup(() => void s.destroy());
  const chunks: Buffer[] = [];
  s.on('data', (d: Buffer) => chunks.push(d));
  s.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => s.once('secureConnect', resolve).once('error', reject));
  return { s, text: () => Buffer.concat(chunks).toString('latin1'), send: (...args) => void s.write(encodeCommand(args)) };
}

/** With TLS on the client API, the RESP listener uses the same material and client-certificate identities (P7). */
describe('RESP listener over TLS', () => {
  let pki: TestPki;
  let node: TestNode;

  beforeAll(async () => {
    pki = new TestPki();
    node = await startNode({
      HYPERCACHE_RESP_ADDR: '127.0.0.1:0',
      ...pki.apiTlsEnv(),
      HYPERCACHE_AUTH_CONFIG: writePolicyFile(`
cert_identities:
  - { subject_cn: app.internal, scopes: [read, write] }
tokens:
  - { id: ops, token: ops-token-0123456789, scopes: [read] }
`),
    });
  });

  it('a verified client certificate with a listed CN is authenticated at connect with its scopes', async () => {
    const c = await tlsClient(node.ports.resp as number, pki, pki.client('app.internal'));
    c.send('SET', 'tls:k', 'v');
    c.send('GET', 'tls:k');
    c.send('FLUSHDB');
    await until(() => c.text().includes('NOPERM'));
    expect(c.text()).toMatch(/^\+OK\r\n\$1\r\nv\r\n-NOPERM User app\.internal /);
  });

  it('an unlisted certificate must AUTH with a token; its scopes apply', async () => {
    const c = await tlsClient(node.ports.resp as number, pki, pki.client('stranger.internal'));
    c.send('GET', 'tls:k');
    c.send('AUTH', 'ops-token-0123456789');
    c.send('GET', 'tls:k');
    c.send('SET', 'tls:k', 'w');
    await until(() => c.text().includes('NOPERM'));
    expect(c.text()).toMatch(/^-NOAUTH Authentication required\.\r\n\+OK\r\n\$1\r\nv\r\n-NOPERM User ops /);
  });

  it('refuses plaintext RESP on the TLS port', async () => {
    const s = tcpConnect({ host: '127.0.0.1', port: node.ports.resp as number });
    registerCleanup(() => void s.destroy());
    const chunks: Buffer[] = [];
    let closed = false;
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('error', () => undefined);
    s.on('close', () => (closed = true));
    s.write(encodeCommand(['PING']));
    await until(() => closed, 15_000);
    expect(Buffer.concat(chunks).toString('latin1')).not.toContain('PONG');
  });
});
