import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { registerCleanup } from './cleanup';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** Options of {@link TestIdp.sign}. */
export interface SignOptions {
  /** Sign with this key ID (default: the current key). */
  kid?: string;
  /** Sign with a key the IdP does not publish, under the given kid (bad signature / unknown kid). */
  foreignKey?: CryptoKey;
  /** Audience (default the IdP's `audience`). */
  audience?: string | string[];
  /** Issuer (default the IdP's URL). */
  issuer?: string;
  /** Expiry as seconds since the epoch (default now + 5 min). */
  expiresAt?: number;
  /** Not-before as seconds since the epoch. */
  notBefore?: number;
}

/**
 * A local OpenID Provider for tests: serves `/.well-known/openid-configuration` and `/jwks`
 * on 127.0.0.1 with RS256 keys generated here (the only thing mocked: the IdP is outside the
 * system). `rotate()` publishes a new current key; `jwksFetches` counts JWKS downloads.
 */
export class TestIdp {
  readonly #keys: SigningKey[] = [];
  #server!: Server;
  jwksFetches = 0;
  url = '';

  private constructor(readonly audience: string) {}

  static async start(audience = 'hypercache-test'): Promise<TestIdp> {
    const idp = new TestIdp(audience);
    await idp.rotate();
    idp.#server = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ issuer: idp.url, jwks_uri: `${idp.url}/jwks`, id_token_signing_alg_values_supported: ['RS256'] }));
      } else if (req.url === '/jwks') {
        idp.jwksFetches++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: idp.#keys.map((k) => k.jwk) }));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => idp.#server.listen(0, '127.0.0.1', r));
    idp.url = `http://127.0.0.1:${(idp.#server.address() as AddressInfo).port}`;
    registerCleanup(() => new Promise<void>((r) => idp.#server.close(() => r())));
    return idp;
  }

  /** The current (newest) key ID. */
  get currentKid(): string {
    return this.#keys[this.#keys.length - 1].kid;
  }

  /** Generates a new key, publishes it and makes it the signing key; `dropOld` unpublishes the others. */
  async rotate(dropOld = false): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = `k${this.#keys.length + 1}-${Math.random().toString(36).slice(2, 8)}`;
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    if (dropOld) this.#keys.length = 0;
    this.#keys.push({ kid, privateKey, jwk });
    return kid;
  }

  /** A signed JWT with the given claims (`sub`, `scope`, …) and standard `iss`/`aud`/`exp`. */
  async sign(claims: JWTPayload & Record<string, unknown>, o: SignOptions = {}): Promise<string> {
    const kid = o.kid ?? this.currentKid;
    const key = o.foreignKey ?? this.#keys.find((k) => k.kid === kid)?.privateKey;
    if (key === undefined) throw new Error(`no key ${kid}`);
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(o.issuer ?? this.url)
      .setAudience(o.audience ?? this.audience)
      .setIssuedAt(now - 5)
      .setExpirationTime(o.expiresAt ?? now + 300);
    if (o.notBefore !== undefined) jwt = jwt.setNotBefore(o.notBefore);
    return jwt.sign(key);
  }

  /** A fresh RS256 private key that this IdP never publishes. */
  static async foreignKey(): Promise<CryptoKey> {
    return (await generateKeyPair('RS256')).privateKey;
  }
}
