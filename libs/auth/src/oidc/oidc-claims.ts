import { makeIdentity, type Identity } from '../identity';
import { isScope, type Scope } from '../scopes';

/**
 * Maps verified JWT claims to an identity (auth.md §5): the identity claim must be a non-empty
 * string (else undefined → 401); the scope claim is split on whitespace when a string, keeps the
 * string elements when an array, and is empty otherwise; unknown scope names are dropped.
 */
export function identityFromClaims(claims: Record<string, unknown>, identityClaim: string, scopeClaim: string): Identity | undefined {
  const id = claims[identityClaim];
  if (typeof id !== 'string' || id === '') return undefined;
  const raw = claims[scopeClaim];
  const names = typeof raw === 'string' ? raw.split(/\s+/) : Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
  return makeIdentity(id, names.filter((s): s is Scope => isScope(s)));
}
