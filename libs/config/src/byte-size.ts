/** Multipliers of the binary suffixes accepted by {@link parseByteSize} (Kubernetes' `Ki`/`Mi`/`Gi`/`Ti` too). */
const BINARY_SUFFIXES: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kib: 1024,
  ki: 1024,
  mib: 1024 ** 2,
  mi: 1024 ** 2,
  gib: 1024 ** 3,
  gi: 1024 ** 3,
  tib: 1024 ** 4,
  ti: 1024 ** 4,
};

/**
 * Parses a byte size: a decimal number with an optional binary suffix `B`, `KiB`, `MiB`, `GiB`,
 * `TiB` (or Kubernetes' `Ki`, `Mi`, `Gi`, `Ti`; case-insensitive), e.g. `64MiB`, `1.5GiB`,
 * `512Mi`, `1048576`. Fractions are rounded down to whole bytes. Decimal suffixes (`KB`, `MB`, `GB`)
 * are refused: they are ambiguous. Throws `Error` with the reason.
 */
export function parseByteSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
  if (m === null) throw new Error('expected a byte size such as 64MiB, 1GiB or 1048576');
  const suffix = m[2].toLowerCase();
  const multiplier = BINARY_SUFFIXES[suffix];
  if (multiplier === undefined) throw new Error(`unknown unit "${m[2]}": use B, KiB, MiB, GiB or TiB`);
  const bytes = Math.floor(Number(m[1]) * multiplier);
  if (!Number.isSafeInteger(bytes)) throw new Error('too large');
  return bytes;
}

/** Formats bytes with the largest binary suffix that keeps an integer (`67108864` → `64MiB`). */
export function formatByteSize(bytes: number): string {
  for (const [suffix, m] of [['TiB', 1024 ** 4], ['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= m && bytes % m === 0) return `${bytes / m}${suffix}`;
  }
  return `${bytes}B`;
}
