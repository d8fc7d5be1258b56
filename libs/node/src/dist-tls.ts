import { readFileSync } from 'node:fs';
import type { ServerConfig } from '@hypercache/config';

/** PEM material of the dist listener and peer client. */
export interface DistTlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
}

/**
 * Reads `HYPERCACHE_DIST_TLS_*` files once; one material serves the listener and the peer
 * client (dist-protocol.md §17.3). Undefined when dist TLS is off. Throws (→ exit 1) when a
 * file cannot be read.
 */
export function readDistTls(config: ServerConfig): DistTlsMaterial | undefined {
  if (config.distTls === undefined) return undefined;
  return {
    cert: readFileSync(config.distTls.certFile),
    key: readFileSync(config.distTls.keyFile),
    ca: config.distTls.caFile ? readFileSync(config.distTls.caFile) : undefined,
  };
}
