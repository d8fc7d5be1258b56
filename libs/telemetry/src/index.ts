export { createRootLogger } from './root-logger';
export type { RootLoggerOptions } from './root-logger';
export { ROOT_LOGGER } from './telemetry.tokens';
export { NestPinoLogger } from './nest-pino-logger';
