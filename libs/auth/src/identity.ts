import { ALL_SCOPES, canonicalScopes, scopeMask, type Scope } from './scopes';

/** An authenticated caller (auth.md §1): an ID for audit logs and the scopes it holds. */
export interface Identity {
  readonly id: string;
  /** Canonical order (read, write, admin), no duplicates. */
  readonly scopes: readonly Scope[];
  /** {@link scopeMask} of `scopes`, precomputed so each request's check is one `&`. */
  readonly mask: number;
}

/** Builds a frozen {@link Identity}. */
export function makeIdentity(id: string, scopes: Iterable<Scope>): Identity {
  const canonical = canonicalScopes(scopes);
  return Object.freeze({ id, scopes: canonical, mask: scopeMask(canonical) });
}

/** The caller in anonymous mode: identity `anonymous` with all scopes (auth.md §2 step 4). */
export const ANONYMOUS: Identity = makeIdentity('anonymous', ALL_SCOPES);
