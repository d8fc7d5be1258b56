import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import { sendError } from '@hypercache/http-kit';
import type { AuthPolicy } from './auth-policy';
import type { Identity } from './identity';
import { PUBLIC_ROUTE_CONFIG, SCOPES_ROUTE_CONFIG, type RouteRule, type RouteScopes } from './route-auth';
import { scopeMask } from './scopes';

/** Options of {@link installAuth}. */
export interface InstallAuthOptions {
  /** URL prefixes served without credentials besides `@Public()` routes (e.g. Swagger UI `/docs`). */
  publicPrefixes?: readonly string[];
  /** Called once per route that declares no scope and is not public (it then requires `admin`). */
  onUndeclaredRoute?: (method: string, url: string) => void;
}

const POLICY = Symbol('hypercache.authPolicy');
const undeclared = new WeakMap<object, Array<{ method: string; url: string }>>();

/**
 * Routes of a listener that declare neither `@Public()` nor a scope (each then requires `admin`).
 * The e2e suite asserts this is empty on the client API and management listeners, so a new
 * route without a decorator fails a test instead of silently needing admin.
 */
export function undeclaredRoutes(fastify: FastifyInstance): ReadonlyArray<{ method: string; url: string }> {
  return undeclared.get(fastify) ?? [];
}
const IDENTITY = 'identity';
type WithIdentity = { identity?: Identity | undefined };

/** Routes that declare nothing require `admin` (fail closed: the narrowest grant). */
const UNDECLARED_MASK = scopeMask(['admin']);

/** The policy {@link installAuth} attached to the request's listener, if any. */
export function authPolicyOf(req: FastifyRequest): AuthPolicy | undefined {
  return (req.server as unknown as Record<symbol, AuthPolicy | undefined>)[POLICY];
}

/**
 * The identity resolved for this request: the one the auth hook attached, else the listener's
 * anonymous identity in anonymous mode, else undefined (public routes of an authenticated listener).
 */
export function identityOf(req: FastifyRequest): Identity | undefined {
  return (req as unknown as WithIdentity).identity ?? authPolicyOf(req)?.anonymousIdentity;
}

/** The auth rule of a route from its fastify config (set by the decorators). */
export function routeRuleOf(config: unknown, url: string, publicPrefixes: readonly string[]): RouteRule {
  const c = (config ?? {}) as Record<string, unknown>;
  if (c[PUBLIC_ROUTE_CONFIG] === true || publicPrefixes.some((p) => url.startsWith(p))) return { kind: 'public' };
  const s = c[SCOPES_ROUTE_CONFIG] as RouteScopes | undefined;
  if (s === undefined) return { kind: 'scoped', mask: UNDECLARED_MASK, declared: false };
  return { kind: 'scoped', mask: s.mask, declared: true };
}

function deny(reply: FastifyReply, req: FastifyRequest, err: unknown): void {
  sendError(reply, req.method, err);
}

/** onRequest hook of a scoped route: resolves the identity and decides (401 / 403 / pass). */
function enforcingHook(policy: AuthPolicy, mask: number): onRequestHookHandler {
  return (req, reply, done) => {
    const resolved = policy.resolve(req.headers.authorization, req.raw.socket);
    if (!(resolved instanceof Promise)) {
      const denied = policy.check(resolved, mask);
      if (denied !== undefined) return deny(reply, req, denied);
      (req as unknown as WithIdentity).identity = resolved;
      return done();
    }
    resolved.then((identity) => {
      const denied = policy.check(identity, mask);
      if (denied !== undefined) return deny(reply, req, denied);
      (req as unknown as WithIdentity).identity = identity;
      done();
    }, done);
  };
}

/**
 * Installs `policy` on a fastify listener. Each route's rule is decided once, when the route is
 * registered, from its decorators:
 * - `@Public()` (or a public prefix): no hook at all;
 * - `@RequireScopes(...)`: a hook that resolves the identity and decides, one per scope mask;
 * - nothing declared: like `@RequireScopes('admin')` (fail closed), and reported.
 * In open mode (anonymous, no credentials configured) no hook is installed; {@link identityOf}
 * then yields `anonymous`. Must run before the app registers its routes (`beforeInit`).
 */
export function installAuth(fastify: FastifyInstance, policy: AuthPolicy, o: InstallAuthOptions = {}): void {
  const prefixes = o.publicPrefixes ?? [];
  fastify.decorate(POLICY, policy);
  fastify.decorateRequest(IDENTITY, undefined);
  const unscoped: Array<{ method: string; url: string }> = [];
  undeclared.set(fastify, unscoped);
  const enforcing = new Map<number, onRequestHookHandler>();
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const rule = routeRuleOf(route.config, route.url, prefixes);
    if (rule.kind === 'public') return;
    if (!rule.declared) {
      for (const method of [route.method].flat()) {
        unscoped.push({ method, url: route.url });
        o.onUndeclaredRoute?.(method, route.url);
      }
    }
    // Open mode: every request is anonymous with all scopes, so no per-request work at all.
    if (policy.isOpen) return;
    let hook = enforcing.get(rule.mask);
    if (hook === undefined) enforcing.set(rule.mask, (hook = enforcingHook(policy, rule.mask)));
    const existing = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [hook, ...existing];
  });
}
