import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCleanup } from './cleanup';
import { rmSync } from 'node:fs';

/** PEM files of one certificate (paths on disk plus contents). */
export interface IssuedCert {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/**
 * A throwaway PKI made with the `openssl` CLI for mTLS tests: a CA, a server certificate for
 * 127.0.0.1/localhost and client certificates with a chosen Subject CN. Files live in a temp
 * directory removed after the test file. Throws (never skips) when openssl is missing.
 */
export class TestPki {
  readonly dir: string;
  readonly ca: IssuedCert;
  #serial = 1;

  constructor(caName = 'hypercache-test-ca') {
    this.dir = mkdtempSync(join(tmpdir(), 'hc-pki-'));
    registerCleanup(() => rmSync(this.dir, { recursive: true, force: true }));
    const keyFile = join(this.dir, `${caName}.key`);
    const certFile = join(this.dir, `${caName}.crt`);
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
      '-days', '1', '-subj', `/CN=${caName}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    this.ca = load(certFile, keyFile);
  }

  /** The server certificate of the listener (SAN 127.0.0.1 and localhost). */
  server(cn = 'hypercache-node'): IssuedCert {
    return this.#issue(cn, 'serverAuth', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  }

  /**
   * The client API's TLS variables for a node: a fresh server certificate and, unless
   * `clientCa` is false, this CA as the client-certificate CA (mTLS).
   */
  apiTlsEnv(o: { clientCa?: boolean } = {}): Record<string, string> {
    const server = this.server();
    const env: Record<string, string> = { HYPERCACHE_API_TLS_CERT: server.certFile, HYPERCACHE_API_TLS_KEY: server.keyFile };
    if (o.clientCa !== false) env.HYPERCACHE_API_TLS_CLIENT_CA = this.ca.certFile;
    return env;
  }

  /** A client certificate with Subject CN `cn`. */
  client(cn: string): IssuedCert {
    return this.#issue(cn, 'clientAuth');
  }

  #issue(cn: string, usage: string, san?: string): IssuedCert {
    const n = this.#serial++;
    const keyFile = join(this.dir, `${n}.key`);
    const csr = join(this.dir, `${n}.csr`);
    const certFile = join(this.dir, `${n}.crt`);
    const ext = join(this.dir, `${n}.ext`);
    writeFileSync(ext, [`extendedKeyUsage=${usage}`, 'basicConstraints=CA:FALSE', ...(san ? [san] : [])].join('\n'));
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${cn}`]);
    openssl(['x509', '-req', '-in', csr, '-CA', this.ca.certFile, '-CAkey', this.ca.keyFile, '-set_serial', String(1000 + n), '-days', '1', '-out', certFile, '-extfile', ext]);
    return load(certFile, keyFile);
  }
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

function load(certFile: string, keyFile: string): IssuedCert {
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}
