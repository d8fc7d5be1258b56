import { CacheError } from './errors';

/**
 * Computes an item's size in bytes on write (engine.md §4). Gets the key too, so a sizer can
 * charge the key and a per-item overhead (the server does: its byte limit bounds memory).
 */
export type SizeOf<V> = (value: V, key: string) => number;

/**
 * Default sizer (engine.md §4, TS version): bytes (`Buffer`, any typed array / `DataView`,
 * `ArrayBuffer`) → byte length; string → UTF-8 byte length; number/bigint → 8; boolean → 1; an
 * object with a numeric `sizeBytes` property or `sizeBytes()` method → that number (the
 * "size-reporting interface"); anything else → UTF-8 length of its JSON encoding (the TS stand-in
 * for upstream's CBOR length). Pass `sizeOf` to the engine for a cheaper or exact sizer.
 */
export function defaultSizeOf(value: unknown): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 1;
    default:
      break;
  }
  if (value instanceof ArrayBuffer) return value.byteLength;
  const reported = (value as { sizeBytes?: unknown } | null)?.sizeBytes;
  if (typeof reported === 'number') return reported;
  if (typeof reported === 'function') return Number(reported.call(value));
  return jsonSize(value);
}

function jsonSize(value: unknown): number {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw new CacheError('BAD_REQUEST', 'value size cannot be computed: not JSON-serializable', { cause });
  }
  return json === undefined ? 0 : Buffer.byteLength(json, 'utf8');
}
