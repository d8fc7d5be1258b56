import { RouteConfig } from '@nestjs/platform-fastify';
import { PUBLIC_ROUTE_CONFIG } from './route-auth';

/**
 * Marks a route as reachable without credentials (e.g. `/healthz`, the OpenAPI document). The
 * auth layer then installs no hook on the route at all.
 */
export const Public = (): MethodDecorator => RouteConfig({ [PUBLIC_ROUTE_CONFIG]: true }) as MethodDecorator;
