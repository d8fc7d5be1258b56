import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, type ServerConfig } from '@hypercache/config';

/** PEM material of the client API listener. */
export interface ApiTlsMaterial {
  cert: Buffer;
  key: Buffer;
  /** Client CA bundle: with it the listener requires and verifies client certificates. */
  ca?: Buffer;
}

function read(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ConfigError(variable, path, `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * Reads `HYPERCACHE_API_TLS_*` once (auth.md §6). Undefined when the client API is plaintext.
 * An unreadable file, or a client CA bundle without a parsable certificate, is a
 * {@link ConfigError} (exit 1) naming the variable.
 */
export function readApiTls(config: ServerConfig): ApiTlsMaterial | undefined {
  if (config.clientApi.tls === undefined) return undefined;
  const { certFile, keyFile, clientCaFile } = config.clientApi.tls;
  const material: ApiTlsMaterial = { cert: read('HYPERCACHE_API_TLS_CERT', certFile), key: read('HYPERCACHE_API_TLS_KEY', keyFile) };
  if (clientCaFile !== undefined) {
    const ca = read('HYPERCACHE_API_TLS_CLIENT_CA', clientCaFile);
    const pems = ca.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    try {
      if (pems.length === 0) throw new Error('no PEM certificate');
      for (const pem of pems) new X509Certificate(pem);
    } catch (e) {
      throw new ConfigError('HYPERCACHE_API_TLS_CLIENT_CA', clientCaFile, `not a PEM certificate bundle: ${(e as Error).message}`);
    }
    material.ca = ca;
  }
  return material;
}
