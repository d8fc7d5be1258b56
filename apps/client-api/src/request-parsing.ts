import { parseGoDurationNs } from '@hypercache/config';
import { ApiError } from '@hypercache/http-kit';

/**
 * The one key rule of the client API (client-api.md §4; a `:key` path segment is already
 * percent-decoded once by the router): non-empty, not blank, at most `maxKeyLength` characters.
 * Returns what is wrong with `key`, or undefined when it is valid.
 */
export function keyProblem(key: string | undefined, maxKeyLength: number): ApiError | undefined {
  if (key === undefined || key === '') return new ApiError('BAD_REQUEST', 'missing key');
  if (key.length > maxKeyLength) return new ApiError('BAD_REQUEST', `key is ${key.length} chars, limit is ${maxKeyLength}`);
  if (key.trim() === '') return new ApiError('BAD_REQUEST', 'invalid key');
  return undefined;
}

/** {@link keyProblem} as a check: returns the valid key, throws its `400 BAD_REQUEST` otherwise. */
export function checkKey(key: string | undefined, maxKeyLength: number): string {
  const problem = keyProblem(key, maxKeyLength);
  if (problem !== undefined) throw problem;
  return key as string;
}

/**
 * Parses `?ttl=` (Go duration) into ms. Absent, empty or `0` → 0 (no expiry). A positive TTL
 * below 1 ms rounds up to 1 ms so it still expires. Negative → 400 (TS decision; upstream 500).
 */
export function parseTtlQuery(raw: unknown): number {
  if (raw === undefined || raw === '') return 0;
  if (typeof raw !== 'string') throw new ApiError('BAD_REQUEST', 'invalid ttl: repeated ttl parameter');
  let ns: number;
  try {
    ns = parseGoDurationNs(raw);
  } catch (e) {
    throw new ApiError('BAD_REQUEST', `invalid ttl: ${(e as Error).message}`);
  }
  if (ns < 0) throw new ApiError('BAD_REQUEST', 'invalid ttl: expiration cannot be negative');
  return Math.ceil(ns / 1e6);
}

/** True when the Accept header asks for the JSON envelope (substring match, as upstream). */
export function wantsJson(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('application/json');
}
