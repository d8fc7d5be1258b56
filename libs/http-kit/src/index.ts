// Public API of @hypercache/http-kit: the Fastify app builder and the one error envelope, only
// what the apps and the node core import.
export { ApiError } from './api-error';
export { createFastifyApp, registeredRoutes } from './create-fastify-app';
export { sendError, toErrorResponse } from './error-envelope.filter';
export { rfc3339Seconds } from './rfc3339';
export { buildOpenApiDocument } from './openapi-document';
