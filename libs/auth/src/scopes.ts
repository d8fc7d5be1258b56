/** The three scopes of the auth policy (auth.md §1). Not hierarchical: `admin` does not imply `read`. */
export const Scope = { read: 'read', write: 'write', admin: 'admin' } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

/** Every scope, in the canonical order used by `/v1/me` (read, write, admin). */
export const ALL_SCOPES: readonly Scope[] = Object.freeze([Scope.read, Scope.write, Scope.admin]);

const BIT: Readonly<Record<Scope, number>> = { read: 1, write: 2, admin: 4 };

/** True when `s` names a scope. */
export function isScope(s: unknown): s is Scope {
  return s === 'read' || s === 'write' || s === 'admin';
}

/** The bit set of `scopes` (read = 1, write = 2, admin = 4): a scope check is one `&`. */
export function scopeMask(scopes: readonly Scope[]): number {
  let mask = 0;
  for (const s of scopes) mask |= BIT[s];
  return mask;
}

/** `scopes` deduplicated and in canonical order. */
export function canonicalScopes(scopes: Iterable<Scope>): readonly Scope[] {
  const set = new Set(scopes);
  return Object.freeze(ALL_SCOPES.filter((s) => set.has(s)));
}
