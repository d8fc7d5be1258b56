import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, sendError } from '@hypercache/http-kit';
import { PUBLIC_ROUTE_CONFIG } from './public.decorator';
import type { Identity, StaticTokenAuthenticator } from './static-token-authenticator';

/** Options of {@link installBearerAuth}. */
export interface BearerAuthOptions {
  /** URL prefixes served without credentials besides `@Public()` routes (e.g. Swagger UI `/docs`). */
  publicPrefixes?: readonly string[];
  /** Error message of the 401 body; default `unauthorized`. */
  message?: string;
}

const UNAUTHORIZED = new ApiError('UNAUTHORIZED', 'unauthorized');

/** The identity the auth hook resolved for this request (undefined on public routes). */
export function identityOf(req: FastifyRequest): Identity | undefined {
  return (req as unknown as { identity?: Identity }).identity;
}

/**
 * Authentication as one fastify `onRequest` hook: every route needs a valid bearer token unless
 * it is `@Public()` or under a public prefix; failure is `401 {error, code: "UNAUTHORIZED"}` with
 * `WWW-Authenticate: Bearer`. Open mode (no token) admits everyone. A hook rather than a Nest
 * guard: a guard makes every handler asynchronous and cost a fifth of GET throughput
 * (docs/benchmarks.md).
 */
export function installBearerAuth(fastify: FastifyInstance, authenticator: StaticTokenAuthenticator, o: BearerAuthOptions = {}): void {
  if (authenticator.isOpen) return;
  const prefixes = o.publicPrefixes ?? [];
  const denied = o.message === undefined ? UNAUTHORIZED : new ApiError('UNAUTHORIZED', o.message);
  fastify.decorateRequest('identity', undefined);
  fastify.addHook('onRequest', (req, reply, done) => {
    const identity = authenticator.authenticate(req.headers.authorization);
    if (identity !== undefined) {
      (req as unknown as { identity?: Identity }).identity = identity;
      return done();
    }
    const config = req.routeOptions.config as unknown as Record<string, unknown> | undefined;
    if (config?.[PUBLIC_ROUTE_CONFIG] === true || prefixes.some((p) => req.url.startsWith(p))) return done();
    sendError(reply, req.method, denied);
  });
}
