/** Structured logger seam (§2 `logger`, default: discard). Messages are lowercase; values are never logged. */
export interface HybridCacheLogger {
  debug(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

/** The default logger: discards everything. */
export const NOOP_HYBRID_LOGGER: HybridCacheLogger = Object.freeze({
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
