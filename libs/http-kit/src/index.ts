export { ApiError, ErrorCode, STATUS_OF_CODE } from './api-error';
export type { ErrorBody } from './api-error';
export { createFastifyApp, registeredRoutes } from './create-fastify-app';
export type { FastifyAppOptions, RegisteredRoute } from './create-fastify-app';
export { ErrorEnvelopeFilter, sendError, toErrorResponse } from './error-envelope.filter';
export { rfc3339Seconds } from './rfc3339';
export { buildOpenApiDocument, type OpenApiInfo } from './openapi-document';
