import { timingSafeEqual } from 'node:crypto';
import { makeIdentity, type Identity } from './identity';
import type { Scope } from './scopes';

/** One configured bearer token (policy file `tokens[]` or the legacy `HYPERCACHE_AUTH_TOKEN`). */
export interface TokenEntry {
  readonly id: string;
  readonly token: string;
  readonly scopes: readonly Scope[];
}

interface Compiled {
  /** The exact `Authorization` value this token is presented as: `Bearer <token>` (UTF-8 bytes). */
  readonly expected: Buffer;
  readonly identity: Identity;
}

/**
 * Resolves `Authorization: Bearer <token>` against every configured token (auth.md §4 step 1).
 *
 * - Exact match of the whole header value: the scheme is case-sensitive, nothing is trimmed and a
 *   length mismatch fails.
 * - Constant-time: the loop visits **every** token, also after a match, and each visit is one
 *   `crypto.timingSafeEqual` over the configured token's bytes whatever was presented (a
 *   presented value of another length is replaced by the token itself and the result discarded).
 *   Timing therefore depends only on the configured tokens, not on which one matched or how
 *   close the guess was.
 * - Nothing is cached: a cache keyed by the presented value would answer valid tokens faster
 *   than invalid ones. Cost: one small Buffer plus ~100 ns per configured token (docs/decisions.md U3).
 */
export class StaticTokenSet {
  readonly #entries: readonly Compiled[];

  constructor(tokens: readonly TokenEntry[]) {
    this.#entries = tokens.map((t) => {
      if (t.token === '') throw new TypeError(`token of identity ${t.id} must not be empty`);
      return { expected: Buffer.from(`Bearer ${t.token}`, 'utf8'), identity: makeIdentity(t.id, t.scopes) };
    });
  }

  /** The number of configured tokens. */
  get size(): number {
    return this.#entries.length;
  }

  /** The identity whose token the header carries, or undefined (absent header: no comparison). */
  resolve(authorization: string | undefined): Identity | undefined {
    if (authorization === undefined || this.#entries.length === 0) return undefined;
    // Node hands header values over as latin1 (one char per byte): this recovers the raw bytes.
    const presented = Buffer.from(authorization, 'latin1');
    let found: Identity | undefined;
    for (const e of this.#entries) {
      const sameLength = presented.length === e.expected.length;
      const equal = timingSafeEqual(sameLength ? presented : e.expected, e.expected);
      if (equal && sameLength && found === undefined) found = e.identity;
    }
    return found;
  }
}
