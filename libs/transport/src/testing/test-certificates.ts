import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PEM key pair. */
export interface TestCertificate {
  key: string;
  cert: string;
}

/**
 * Makes a self-signed P-256 certificate (valid 1 day, SAN `IP:127.0.0.1, DNS:localhost`) with the
 * `openssl` CLI. Usable as its own CA, as the listener's certificate and, for mTLS, as the client
 * certificate (dist-protocol.md §17.3: one config for both sides). Throws — never skips — when
 * `openssl` is missing.
 */
export function makeSelfSignedCertificate(commonName = 'hypercache-peer'): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'hc-transport-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${commonName}`,
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-addext', 'extendedKeyUsage=serverAuth,clientAuth',
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
