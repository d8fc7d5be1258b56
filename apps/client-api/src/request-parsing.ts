import { parseGoDurationNs } from '@hypercache/config';
import { ApiError } from '@hypercache/http-kit';

/**
 * Validates the `:key` path segment (already percent-decoded once by the router: TS decision,
 * client-api.md §4): non-empty, not blank, at most `maxKeyLength` characters.
 */
export function checkKey(key: string | undefined, maxKeyLength: number): string {
  if (key === undefined || key === '') throw new ApiError('BAD_REQUEST', 'missing key');
  if (key.length > maxKeyLength) {
    throw new ApiError('BAD_REQUEST', `key is ${key.length} chars, limit is ${maxKeyLength}`);
  }
  if (key.trim() === '') throw new ApiError('BAD_REQUEST', 'invalid key');
  return key;
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
