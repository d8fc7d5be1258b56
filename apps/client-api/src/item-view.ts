import { rfc3339Seconds } from '@hypercache/http-kit';
import type { NodeItem } from '@hypercache/node';

/** What the views need of a stored item: the node seam's item. */
export type ItemView = NodeItem;

/** Remaining lifetime of an item at `nowMs`, clamped at 0; undefined when it has no TTL. */
export function remainingTtlMs(item: ItemView, nowMs: number): number | undefined {
  if (item.expiresAtMs === 0) return undefined;
  return Math.max(0, item.expiresAtMs - nowMs);
}

/** JSON envelope of GET with `Accept: application/json` (client-api.md §5.2). */
export interface ItemEnvelope {
  key: string;
  value: string;
  value_encoding: 'base64';
  ttl_ms?: number;
  expires_at?: string;
  version: number;
  origin?: string;
  last_updated?: string;
  node: string;
  owners: readonly string[];
}

/**
 * Builds the envelope; `ttl_ms` and `expires_at` come from the same instant as HEAD's headers.
 * `ttl_ms` is omitted when the remaining time is exactly 0 (upstream quirk, kept).
 */
export function itemEnvelope(
  item: ItemView,
  nowMs: number,
  node: string,
  owners: readonly string[],
): ItemEnvelope {
  const ttl = remainingTtlMs(item, nowMs);
  const env: ItemEnvelope = { key: item.key, value: item.value.toString('base64'), value_encoding: 'base64', version: item.version, node, owners };
  if (ttl !== undefined && ttl > 0) env.ttl_ms = ttl;
  if (item.expiresAtMs !== 0) env.expires_at = rfc3339Seconds(item.expiresAtMs);
  if (item.origin) env.origin = item.origin;
  if (item.lastUpdatedMs > 0) env.last_updated = rfc3339Seconds(item.lastUpdatedMs);
  return env;
}

/** Batch-get entry of a found item: the envelope minus `node`, every field omit-when-empty. */
export function batchFoundEntry(item: ItemView, nowMs: number, owners: readonly string[]): Record<string, unknown> {
  const ttl = remainingTtlMs(item, nowMs);
  const out: Record<string, unknown> = { key: item.key, found: true, value: item.value.toString('base64'), value_encoding: 'base64' };
  if (ttl !== undefined && ttl > 0) out.ttl_ms = ttl;
  if (item.expiresAtMs !== 0) out.expires_at = rfc3339Seconds(item.expiresAtMs);
  if (item.version !== 0) out.version = item.version;
  if (item.origin) out.origin = item.origin;
  if (item.lastUpdatedMs > 0) out.last_updated = rfc3339Seconds(item.lastUpdatedMs);
  if (owners.length > 0) out.owners = owners;
  return out;
}
