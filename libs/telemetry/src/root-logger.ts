import pino, { type Logger } from 'pino';

/** Options of {@link createRootLogger}. */
export interface RootLoggerOptions {
  /** Bound into every line as `node_id` (config.md A.3). */
  nodeId: string;
  /** pino level name; `silent` disables output. */
  level: string;
  /** Where JSON lines go; default stderr (fd 2), as upstream. */
  destination?: pino.DestinationStream;
}

/**
 * The process's one pino logger: JSON lines, ISO timestamps, `node_id` on every line. Components
 * take `logger.child({ component })`. Never log cache values or tokens.
 */
export function createRootLogger(o: RootLoggerOptions): Logger {
  return pino(
    {
      level: o.level,
      base: { node_id: o.nodeId },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['req.headers.authorization', 'authorization', 'token'], censor: '[redacted]' },
    },
    o.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
