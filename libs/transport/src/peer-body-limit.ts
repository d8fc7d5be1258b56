/** §17.3 BodyLimit and ResponseLimit: 16 MiB, the floor of {@link peerBodyLimitBytes}. */
export const MIN_PEER_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** Room for everything around a value in one peer message: JSON field names, numbers, the origin. */
const ENVELOPE_MARGIN_BYTES = 64 * 1024;

/** The largest values and keys a node accepts from clients (`HYPERCACHE_MAX_BODY_BYTES`, `HYPERCACHE_MAX_KEY_LENGTH`). */
export interface PeerBodyLimitInput {
  /** Largest value in bytes. */
  readonly maxValueBytes: number;
  /** Longest key in UTF-16 units. */
  readonly maxKeyLength: number;
}

/**
 * Cap on one peer request or response body (the dist listener's body limit, the client's
 * response limit), so that no value the client API accepts can be refused by a peer for its size
 * (docs/decisions.md D18): the larger of 16 MiB (§17.3) and the largest single-item message,
 * `POST /internal/set` / `GET /internal/get` JSON with the value in base64 (4/3 of its bytes) and
 * the key JSON-escaped (≤ 6 bytes per UTF-16 unit), plus 64 KiB for the rest of the envelope.
 * A batch never needs more: `PeerBatcher` stops a batch at `batchMaxBytes` (8 MiB, half the
 * floor), and a single operation in MessagePack is smaller than its JSON form. Every node of a
 * cluster must share both inputs.
 */
export function peerBodyLimitBytes(o: PeerBodyLimitInput): number {
  const base64 = Math.ceil(o.maxValueBytes / 3) * 4;
  return Math.max(MIN_PEER_BODY_LIMIT_BYTES, base64 + 6 * o.maxKeyLength + ENVELOPE_MARGIN_BYTES);
}
