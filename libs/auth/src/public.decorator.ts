import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { IS_PUBLIC } from './auth.tokens';
import { PUBLIC_ROUTE_CONFIG } from './route-auth';

/**
 * Marks a route as reachable without credentials (e.g. `/healthz`, the OpenAPI document).
 * Sets both the Nest metadata and the fastify route config; the auth layer then installs no
 * hook on the route at all.
 */
export const Public = (): MethodDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), RouteConfig({ [PUBLIC_ROUTE_CONFIG]: true })) as MethodDecorator;
