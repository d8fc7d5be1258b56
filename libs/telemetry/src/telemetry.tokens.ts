/** DI token of the process's root pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** DI token of the node's {@link Telemetry}. */
export const TELEMETRY = Symbol('TELEMETRY');
