/** Expiry modes (engine.md §3, dist-protocol.md §9). */
export const ExpiryMode = {
  /** Upstream engine semantics: reads refresh `lastAccessMs` and push `expiresAtMs` (idle timeout). */
  Sliding: 'sliding',
  /** Expires at write time + TTL; reads never extend it. The distributed server's mode. */
  Absolute: 'absolute',
} as const;
/** One of {@link ExpiryMode}. */
export type ExpiryMode = (typeof ExpiryMode)[keyof typeof ExpiryMode];
