/**
 * RFC 3339 timestamps as Go's `time.Time` marshals them (`RFC3339Nano`, dist-protocol.md §17.2
 * `LastAccess`/`LastUpdated`). Internal to the wire codec.
 */

/** Earliest instant Go marshals (`0001-01-01T00:00:00Z`, Go's zero time), epoch ms. */
export const MIN_RFC3339_MS = -62_135_596_800_000;
/** Latest instant with a four-digit year (`9999-12-31T23:59:59.999Z`), epoch ms. */
export const MAX_RFC3339_MS = 253_402_300_799_999;

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Formats epoch ms as RFC 3339 in UTC with millisecond precision (`2026-01-02T03:04:05.678Z`),
 * which Go parses. Returns `undefined` outside [{@link MIN_RFC3339_MS}, {@link MAX_RFC3339_MS}].
 */
export function formatRfc3339(epochMs: number): string | undefined {
  if (!Number.isInteger(epochMs) || epochMs < MIN_RFC3339_MS || epochMs > MAX_RFC3339_MS) return undefined;
  const d = new Date(epochMs);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`
  );
}

/**
 * Parses an RFC 3339 timestamp (fraction of up to 9 digits, `Z` or `±hh:mm`) to epoch ms,
 * truncating below the millisecond. Returns `undefined` when malformed or out of range
 * (month 13, Feb 30, hour 24, offset hour > 23…).
 */
export function parseRfc3339(text: string): number | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900..1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  let offsetMs = 0;
  if (m[8] === undefined) {
    const offH = Number(m[10]);
    const offM = Number(m[11]);
    if (offH > 23 || offM > 59) return undefined;
    offsetMs = (m[9] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  }
  return d.getTime() - offsetMs;
}
