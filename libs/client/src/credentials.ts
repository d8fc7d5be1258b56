import type { ResolvedClientOptions } from './client-options';
import { SingleFlight } from './single-flight';

/**
 * The bearer header of every request: a static token, or a {@link TokenProvider} asked once for
 * all concurrent callers, again `refreshSkewMs` before the token's expiry, and after a 401
 * ({@link invalidate}). No credential → no header.
 */
export class Credentials {
  readonly #o: ResolvedClientOptions;
  #current: { token: string; expiresAtMs: number } | undefined;
  readonly #fetch: SingleFlight<string>;

  constructor(o: ResolvedClientOptions) {
    this.#o = o;
    this.#fetch = new SingleFlight(async () => {
      const got = await o.tokenProvider!();
      const t = typeof got === 'string' ? { token: got, expiresAtMs: Infinity } : { token: got.token, expiresAtMs: got.expiresAtMs ?? Infinity };
      if (typeof t.token !== 'string' || t.token === '') throw new TypeError('tokenProvider returned an empty token');
      this.#current = t;
      return t.token;
    });
  }

  /** Whether a provider is configured (a 401 may then be cured by a refresh). */
  get refreshable(): boolean {
    return this.#o.tokenProvider !== undefined;
  }

  /** The `authorization` header value, or `undefined`. */
  async header(): Promise<string | undefined> {
    if (this.#o.tokenProvider === undefined) return this.#o.token === undefined ? undefined : `Bearer ${this.#o.token}`;
    const c = this.#current;
    if (c !== undefined && this.#o.now() < c.expiresAtMs - this.#o.refreshSkewMs) return `Bearer ${c.token}`;
    return `Bearer ${await this.#fetch.run()}`;
  }

  /** Forgets the provided token (after a 401). */
  invalidate(): void {
    this.#current = undefined;
  }
}
