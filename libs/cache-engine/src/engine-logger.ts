/**
 * Minimal structured logger the engine writes to (pino-compatible: `logger.child({component:
 * 'cache-engine'})` fits). Messages are lowercase with stable fields; values are never logged.
 */
export interface EngineLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** A logger that drops everything (the default, as upstream's discard logger). */
export const NOOP_LOGGER: EngineLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
