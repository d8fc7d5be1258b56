/**
 * The key-browser pattern classifier (client-api.md §5.6, dist-protocol.md §12): no `*`, `?`
 * or `[` → literal prefix; otherwise a glob with Go `path.Match` semantics: `*` any run of
 * characters except `/`, `?` one character except `/`, `[abc]` / `[a-z]` / `[^a-z]` classes,
 * `\x` escapes `x`; the whole key must match.
 */
export type KeyMatcher = (key: string) => boolean;

/** A malformed glob (e.g. an unclosed `[`); the message contains `invalid glob pattern`. */
export class InvalidGlobError extends Error {
  readonly code = 'BAD_REQUEST';
  constructor(readonly pattern: string) {
    super(`invalid glob pattern: ${JSON.stringify(pattern)}`);
    this.name = new.target.name;
  }
}

/** Compiles `q` (undefined/empty = match everything); throws {@link InvalidGlobError}. */
export function compileKeyPattern(q: string | undefined): KeyMatcher {
  if (q === undefined || q === '') return () => true;
  if (!/[*?[]/.test(q)) return (key) => key.startsWith(q);
  const pattern = [...q];
  validateGlob(pattern, q);
  return (key) => globMatch(pattern, 0, [...key], 0, q);
}

function validateGlob(p: string[], raw: string): void {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') {
      if (++i >= p.length) throw new InvalidGlobError(raw);
    } else if (p[i] === '[') {
      const end = classEnd(p, i, raw);
      i = end;
    }
  }
}

/** Index of the `]` closing the class opened at `start`; validates ranges as Go does. */
function classEnd(p: string[], start: number, raw: string): number {
  let i = start + 1;
  if (p[i] === '^') i++;
  let ranges = 0;
  for (;;) {
    if (i >= p.length) throw new InvalidGlobError(raw);
    if (p[i] === ']' && ranges > 0) return i;
    i = classChar(p, i, raw);
    if (p[i] === '-') i = classChar(p, i + 1, raw);
    ranges++;
  }
}

/** Validates one (possibly escaped) class character at `i`; returns the index after it. */
function classChar(p: string[], i: number, raw: string): number {
  if (i >= p.length || p[i] === '-' || p[i] === ']') throw new InvalidGlobError(raw);
  if (p[i] === '\\') {
    if (i + 1 >= p.length) throw new InvalidGlobError(raw);
    return i + 2;
  }
  return i + 1;
}

function classMatches(p: string[], start: number, c: string): { matched: boolean; end: number } {
  let i = start + 1;
  let negate = false;
  if (p[i] === '^') {
    negate = true;
    i++;
  }
  let matched = false;
  let ranges = 0;
  while (!(p[i] === ']' && ranges > 0)) {
    ranges++;
    let lo = p[i];
    if (lo === '\\') lo = p[++i];
    i++;
    let hi = lo;
    if (p[i] === '-') {
      hi = p[++i];
      if (hi === '\\') hi = p[++i];
      i++;
    }
    if ((lo.codePointAt(0) ?? 0) <= (c.codePointAt(0) ?? 0) && (c.codePointAt(0) ?? 0) <= (hi.codePointAt(0) ?? 0)) matched = true;
  }
  return { matched: matched !== negate, end: i };
}

function globMatch(p: string[], pi: number, s: string[], si: number, raw: string): boolean {
  while (pi < p.length) {
    const c = p[pi];
    if (c === '*') {
      while (p[pi] === '*') pi++;
      if (pi === p.length) return !s.slice(si).includes('/');
      for (let k = si; k <= s.length; k++) {
        if (globMatch(p, pi, s, k, raw)) return true;
        if (k < s.length && s[k] === '/') return false;
      }
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      if (s[si] === '/') return false;
    } else if (c === '[') {
      if (s[si] === '/') return false;
      const r = classMatches(p, pi, s[si]);
      if (!r.matched) return false;
      pi = r.end;
    } else if (c === '\\') {
      pi++;
      if (p[pi] !== s[si]) return false;
    } else if (c !== s[si]) {
      return false;
    }
    pi++;
    si++;
  }
  return si === s.length;
}
