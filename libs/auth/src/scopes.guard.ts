import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { REQUIRED_SCOPES } from './auth.tokens';
import { authPolicyOf, identityOf } from './auth.hook';
import { UnauthorizedError } from './errors';
import { scopeMask, type Scope } from './scopes';

/**
 * Enforces {@link RequireScopes}: reads the route's required scopes and the identity the auth
 * hook resolved, and applies {@link AuthPolicy.check} (401 / 403 thrown as lib errors; the app's
 * exception filter writes the envelope). A listener without an installed auth policy fails
 * closed (401).
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  readonly #masks = new WeakMap<object, number>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const handler = ctx.getHandler();
    let mask = this.#masks.get(handler);
    if (mask === undefined) {
      const scopes = this.reflector.get<readonly Scope[] | undefined>(REQUIRED_SCOPES, handler) ?? [];
      mask = scopeMask(scopes);
      this.#masks.set(handler, mask);
    }
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const policy = authPolicyOf(req);
    if (policy === undefined) throw new UnauthorizedError();
    const denied = policy.check(identityOf(req), mask);
    if (denied !== undefined) throw denied;
    return true;
  }
}
