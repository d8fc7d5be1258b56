/**
 * Go duration syntax (`time.ParseDuration`): optional sign, then one or more
 * `<decimal number><unit>` groups with units ns, us, µs (U+00B5), μs (U+03BC), ms, s, m, h.
 * Fractions are allowed (`1.5h`); the bare string `0` is valid; a number without unit is not.
 * Spec: client-api.md §5.1, config.md A.1.
 */

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Thrown by {@link parseGoDurationNs} with Go's message shape. */
export class DurationSyntaxError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`time: ${reason} ${JSON.stringify(input)}`);
    this.name = new.target.name;
  }
}

const GROUP = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)?/y;

/**
 * Parses a Go duration string into nanoseconds (a JS number; exact up to 2^53 ns ≈ 104 days,
 * then within float precision, which is finer than any TTL cares about).
 * @throws DurationSyntaxError on any malformed input.
 */
export function parseGoDurationNs(input: string): number {
  let s = input;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new DurationSyntaxError(input, 'invalid duration');
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    GROUP.lastIndex = pos;
    const m = GROUP.exec(s);
    if (!m || m[0] === '') throw new DurationSyntaxError(input, 'invalid duration');
    const [, whole, frac, unit] = m;
    if (whole === '' && (frac === undefined || frac === '')) throw new DurationSyntaxError(input, 'invalid duration');
    if (unit === undefined) throw new DurationSyntaxError(input, 'missing unit in duration');
    const value = Number(`${whole || '0'}.${frac || '0'}`);
    total += value * UNIT_NS[unit];
    pos += m[0].length;
  }
  if (!Number.isFinite(total) || total > 9223372036854775807) throw new DurationSyntaxError(input, 'invalid duration');
  return sign * total;
}

/** Parses a Go duration string into whole milliseconds (truncated toward zero). */
export function parseGoDurationMs(input: string): number {
  return Math.trunc(parseGoDurationNs(input) / 1e6);
}

/**
 * Formats milliseconds the way Go's `Duration.String()` does (`5m0s`, `1h30m0s`, `250ms`, `0s`).
 * Used by `/config` and by clients that send `?ttl=`.
 */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  let out: string;
  if (rest < 1000) {
    out = `${trimFloat(rest)}ms`;
  } else {
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const s = `${trimFloat(rest / 1000)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

function trimFloat(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(9)));
}
