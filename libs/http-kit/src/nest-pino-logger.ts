import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest's framework logger on top of a pino child logger. Nest's bootstrap chatter (`log`) goes to
 * `debug` so an `info` node logs one `node started` line, not one line per mapped route.
 */
export class NestPinoLogger implements LoggerService {
  readonly #pino: Logger;

  constructor(pino: Logger) {
    this.#pino = pino;
  }

  log(message: unknown, context?: string): void {
    this.#pino.debug({ context }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.#pino.warn({ context }, String(message));
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    if (message instanceof Error) this.#pino.error({ err: message, context: stackOrContext }, message.message);
    else this.#pino.error({ context: context ?? stackOrContext }, String(message));
  }

  fatal(message: unknown, context?: string): void {
    this.#pino.fatal({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.#pino.trace({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.#pino.trace({ context }, String(message));
  }
}
