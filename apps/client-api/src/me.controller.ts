import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { identityOf, isScope, RequireScopes, UnauthorizedError } from '@hypercache/auth';
import { ApiError } from '@hypercache/http-kit';
import { CanResponseDto, ErrorBodyDto, MeResponseDto } from './dto';

/** `GET /v1/me` and `GET /v1/me/can` (client-api.md §5.7): introspection of the caller. */
@ApiTags('auth')
@Controller('v1/me')
export class MeController {
  @Get()
  @RequireScopes('read')
  @ApiOperation({ summary: 'The resolved caller identity', description: 'Needs `read` like any other read (scopes are not hierarchical).' })
  @ApiResponse({ status: 200, type: MeResponseDto })
  me(@Req() req: FastifyRequest): MeResponseDto {
    const identity = identityOf(req);
    if (identity === undefined) throw new UnauthorizedError();
    return { id: identity.id, scopes: [...identity.scopes], capabilities: identity.scopes.map((s) => `cache.${s}`) };
  }

  @Get('can')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Capability probe', description: 'A denial is `200` with `allowed: false`, not `403`.' })
  @ApiQuery({ name: 'capability', required: true, enum: ['cache.read', 'cache.write', 'cache.admin'] })
  @ApiResponse({ status: 200, type: CanResponseDto })
  @ApiResponse({ status: 400, description: 'missing or unknown capability', type: ErrorBodyDto })
  can(@Req() req: FastifyRequest, @Query('capability') capability: unknown): CanResponseDto {
    if (capability === undefined || capability === '') throw new ApiError('BAD_REQUEST', "missing 'capability' query parameter");
    const name = Array.isArray(capability) ? String(capability[0]) : String(capability);
    const scope = name.startsWith('cache.') ? name.slice('cache.'.length) : undefined;
    if (!isScope(scope)) throw new ApiError('BAD_REQUEST', `unknown capability '${name}'`);
    const identity = identityOf(req);
    if (identity === undefined) throw new UnauthorizedError();
    return { capability: name, allowed: identity.scopes.includes(scope) };
  }
}
