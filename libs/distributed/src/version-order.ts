/** The version stamp every stored item and tombstone carries (dist-protocol.md §4). */
export interface VersionStamp {
  readonly version: number;
  readonly origin: string;
}

/**
 * Newer-wins order: higher `version` wins; on equal versions the byte-wise smaller `origin` wins.
 * Returns > 0 when `a` is newer than `b`, < 0 when older, 0 when identical.
 */
export function compareStamps(a: VersionStamp, b: VersionStamp): number {
  if (a.version !== b.version) return a.version > b.version ? 1 : -1;
  if (a.origin === b.origin) return 0;
  // Smaller origin wins → is "newer". Byte-wise compare = code-unit compare for these IDs.
  return Buffer.compare(Buffer.from(a.origin), Buffer.from(b.origin)) < 0 ? 1 : -1;
}

/** True when `incoming` strictly beats `current` (undefined current: always). */
export function isNewer(incoming: VersionStamp, current: VersionStamp | undefined): boolean {
  return current === undefined || compareStamps(incoming, current) > 0;
}

/** Consistency levels for reads and writes (dist-protocol.md §5, §7). */
export const Consistency = { ONE: 'ONE', QUORUM: 'QUORUM', ALL: 'ALL' } as const;
export type Consistency = (typeof Consistency)[keyof typeof Consistency];

/** Acks needed from `owners` owners: ONE → 1, QUORUM → ⌊n/2⌋+1, ALL → n (n = actual owners). */
export function requiredAcks(owners: number, level: Consistency): number {
  if (owners <= 0) return 0;
  if (level === 'ONE') return 1;
  if (level === 'ALL') return owners;
  return Math.floor(owners / 2) + 1;
}
