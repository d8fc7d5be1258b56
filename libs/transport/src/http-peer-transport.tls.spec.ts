import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { PeerUnreachableError } from './errors';
import { HttpPeerTransport } from './http-peer-transport';
import { makeSelfSignedCertificate } from './testing/test-certificates';
import { registerCleanup } from '../../../test/support/cleanup';
import { httpTransport, peerServer, rejectionOf, wireItem } from './testing/transport-test-kit';

// Certificates are made by the test with the openssl CLI; a missing openssl fails here, never skips.
const peerCert = makeSelfSignedCertificate('hypercache-peer');
const strangerCert = makeSelfSignedCertificate('stranger');

describe(`${HttpPeerTransport.name} TLS (dist-protocol.md §17.3)`, () => {
  it('talks https to a TLS listener trusted through tls.ca, negotiating ALPN http/1.1', async () => {
    const server = await peerServer({ tls: { key: peerCert.key, cert: peerCert.cert } });
    const alpn: Array<string | false | null> = [];
    server.override('GET /health', (req, reply) => {
      alpn.push((req.raw.socket as TLSSocket).alpnProtocol);
      return reply.send('ok');
    });
    const sut = httpTransport({ tls: { ca: peerCert.cert } });
    await sut.set(server.peer, wireItem(), false);
    await expect(sut.get(server.peer, 'k')).resolves.toMatchObject({ key: 'k' });
    await sut.health(server.peer);
    expect(alpn).toEqual(['http/1.1']);
  });

  it('presents the client certificate for mTLS and is refused without it', async () => {
    const server = await peerServer({ tls: { key: peerCert.key, cert: peerCert.cert, ca: peerCert.cert, requestCert: true } });
    await httpTransport({ tls: { ca: peerCert.cert, cert: peerCert.cert, key: peerCert.key } }).health(server.peer);

    const anonymous = await rejectionOf(httpTransport({ tls: { ca: peerCert.cert } }).health(server.peer));
    expect(anonymous).toBeInstanceOf(PeerUnreachableError);
    const stranger = await rejectionOf(
      httpTransport({ tls: { ca: peerCert.cert, cert: strangerCert.cert, key: strangerCert.key } }).health(server.peer),
    );
    expect(stranger.code).toBe('PEER_UNREACHABLE');
  });

  it('refuses a listener whose certificate is not trusted', async () => {
    const server = await peerServer({ tls: { key: strangerCert.key, cert: strangerCert.cert } });
    const e = await rejectionOf(httpTransport({ tls: { ca: peerCert.cert } }).health(server.peer));
    expect(e.code).toBe('PEER_UNREACHABLE');
    expect((e as PeerUnreachableError).isTimeout).toBe(false);
  });

  it('fails fast against a mismatched peer: plaintext client to TLS listener and TLS client to plaintext listener', async () => {
    const tlsServer = await peerServer({ tls: { key: peerCert.key, cert: peerCert.cert } });
    const plainServer = await peerServer();
    const plain = await rejectionOf(httpTransport({ timeoutMs: 2_000 }).health(tlsServer.peer));
    expect(plain.code).toBe('PEER_UNREACHABLE');
    expect((plain as PeerUnreachableError).isTimeout).toBe(false);
    const tls = await rejectionOf(httpTransport({ timeoutMs: 2_000, tls: { ca: peerCert.cert } }).health(plainServer.peer));
    expect(tls.code).toBe('PEER_UNREACHABLE');
    expect((tls as PeerUnreachableError).isTimeout).toBe(false);
  });
});

describe(`${HttpPeerTransport.name} deadline while connecting (issue 21)`, () => {
  it('fails a probe at its own deadline while the connection is still being set up', async () => {
    // A listener that accepts TCP and never answers the TLS handshake: the socket stays "connecting",
    // as it does towards a peer behind a packet-dropping firewall.
    const sockets = new Set<Socket>();
    const silent = createServer((s) => void sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    registerCleanup(() => {
      for (const s of sockets) s.destroy();
      silent.close();
    });
    const address = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const sut = httpTransport({ tls: { ca: peerCert.cert }, timeoutMs: 10_000 });
    const started = Date.now();
    const e = await rejectionOf(sut.health({ id: 'silent', address }, { timeoutMs: 200 }));
    expect(e).toBeInstanceOf(PeerUnreachableError);
    expect((e as PeerUnreachableError).isTimeout).toBe(true);
    // It used to wait for the connect timeout (the transport's 10 s).
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
