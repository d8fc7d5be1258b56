/**
 * Errors raised by the membership library (spec: dist-protocol.md §2, §3, §14).
 * Each class names one failure; `code` is a stable machine-readable code that callers and tests
 * assert on. These are boot-time or programming errors: the apps map them (a bad seed list exits
 * non-zero naming `HYPERCACHE_SEEDS`; a bad gossip entry is a `400 BAD_REQUEST` on the dist API).
 */

/** Stable codes carried by {@link MembershipError} subclasses. */
export const MEMBERSHIP_ERROR_CODES = {
  invalidOption: 'INVALID_OPTION',
  invalidSeed: 'INVALID_SEED',
  invalidMember: 'BAD_REQUEST',
  localMember: 'LOCAL_MEMBER',
} as const;

/** Union of the values of {@link MEMBERSHIP_ERROR_CODES}. */
export type MembershipErrorCode = (typeof MEMBERSHIP_ERROR_CODES)[keyof typeof MEMBERSHIP_ERROR_CODES];

/** Base class of every error thrown by `@hypercache/membership`. */
export class MembershipError extends Error {
  constructor(
    readonly code: MembershipErrorCode,
    message: string,
    opts?: ErrorOptions,
  ) {
    super(message, opts);
    this.name = new.target.name;
  }
}

/** An option with a nonsensical value (ring or table options); the message names the option. */
export class InvalidMembershipOptionError extends MembershipError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(MEMBERSHIP_ERROR_CODES.invalidOption, `${option} must be ${expected}, got ${describe(value)}`);
  }
}

/** A `HYPERCACHE_SEEDS` entry that is neither `id@host:port` nor `host:port` (dist-protocol.md §2). */
export class InvalidSeedError extends MembershipError {
  constructor(
    readonly entry: string,
    readonly reason: string,
  ) {
    super(MEMBERSHIP_ERROR_CODES.invalidSeed, `invalid seed ${JSON.stringify(entry)}: ${reason}`);
  }
}

/**
 * A member record (upsert or gossip entry) with an unusable field (dist-protocol.md §14);
 * `field` names it. Code `BAD_REQUEST` so the dist API can answer a malformed gossip body with 400.
 */
export class InvalidMemberError extends MembershipError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(MEMBERSHIP_ERROR_CODES.invalidMember, `member ${field} must be ${expected}, got ${describe(value)}`);
  }
}

/**
 * An operation that would mark, replace or remove the local member. The local node is always alive
 * in its own table; remote claims against it are refuted instead (dist-protocol.md §14).
 */
export class LocalMemberError extends MembershipError {
  constructor(
    readonly nodeId: string,
    readonly operation: string,
  ) {
    super(MEMBERSHIP_ERROR_CODES.localMember, `${operation} is not allowed on the local member ${JSON.stringify(nodeId)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}
