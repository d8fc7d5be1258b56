import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makeIdentity, type Identity } from './identity';
import type { Scope } from './scopes';

/** One policy file `cert_identities[]` entry. */
export interface CertIdentityEntry {
  readonly subjectCn: string;
  readonly scopes: readonly Scope[];
}

const CACHED = Symbol('hypercache.certIdentity');
type CachingSocket = TLSSocket & { [CACHED]?: Identity | null };

/**
 * Resolves a **verified** mTLS client certificate to an identity by exact Subject CN match
 * (auth.md §4 step 3; identity id = the CN). Plaintext sockets, and TLS sockets whose client
 * chain was not verified, never resolve. The result is cached on the socket: the peer
 * certificate cannot change on an established TLS connection.
 */
export class CertIdentitySet {
  readonly #byCn: ReadonlyMap<string, Identity>;

  constructor(entries: readonly CertIdentityEntry[]) {
    const byCn = new Map<string, Identity>();
    for (const e of entries) {
      if (e.subjectCn === '') throw new TypeError('cert identity subject_cn must not be empty');
      byCn.set(e.subjectCn, makeIdentity(e.subjectCn, e.scopes));
    }
    this.#byCn = byCn;
  }

  /** The number of configured CNs. */
  get size(): number {
    return this.#byCn.size;
  }

  /** The identity of the socket's verified client certificate, or undefined. */
  resolve(socket: Socket | undefined): Identity | undefined {
    if (this.#byCn.size === 0 || socket === undefined || !('encrypted' in socket)) return undefined;
    const tls = socket as CachingSocket;
    const cached = tls[CACHED];
    if (cached !== undefined) return cached ?? undefined;
    let identity: Identity | null = null;
    if (tls.authorized === true) {
      const cn = tls.getPeerCertificate()?.subject?.CN;
      // A certificate with several CNs yields an array: ambiguous, never matched.
      if (typeof cn === 'string') identity = this.#byCn.get(cn) ?? null;
    }
    tls[CACHED] = identity;
    return identity ?? undefined;
  }
}
