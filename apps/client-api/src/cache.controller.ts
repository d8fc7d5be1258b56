import { Controller, Delete, Get, Head, Inject, Put, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScopes } from '@hypercache/auth';
import { CacheRoutes } from './cache-routes';
import { ErrorBodyDto, DeleteResponseDto, ItemEnvelopeDto, PutResponseDto } from './dto';

const KEY_PARAM = {
  name: 'key',
  description:
    'Cache key, percent-decoded exactly once (send `/` as `%2F`). Non-empty, not blank, at most 1024 characters by default.',
};

/**
 * `PUT/GET/HEAD/DELETE /v1/cache/:key` (client-api.md §5.1–5.4): the routes as Nest and Swagger
 * see them (paths, scopes, documented answers). The work is {@link CacheRoutes}'; on the client
 * API listener `installCacheRoutes` serves these routes with its handlers directly, so these
 * methods only run when the module is mounted without it. Scopes are enforced by the auth hook.
 */
@ApiTags('cache')
@Controller('v1/cache')
export class CacheController {
  constructor(@Inject(CacheRoutes) private readonly routes: CacheRoutes) {}

  @Put(':key')
  @RequireScopes('write')
  @ApiOperation({ summary: 'Store a value', description: 'The body is stored byte-for-byte whatever its Content-Type.' })
  @ApiParam(KEY_PARAM)
  @ApiQuery({ name: 'ttl', required: false, description: 'Go duration (`30s`, `1m30s`, `1.5h`); absent, empty or `0` = no expiry' })
  @ApiConsumes('application/octet-stream')
  @ApiResponse({ status: 200, type: PutResponseDto })
  @ApiResponse({ status: 400, description: 'invalid key or ttl', type: ErrorBodyDto })
  @ApiResponse({ status: 413, description: '`PAYLOAD_TOO_LARGE`: body larger than the limit; `ITEM_TOO_LARGE`: item larger than the memory limit (HYPERCACHE_MAX_MEMORY)', type: ErrorBodyDto })
  @ApiResponse({ status: 503, description: 'node is draining (DRAINING), or cut off from the majority of the cluster under QUORUM/ALL writes (QUORUM_UNAVAILABLE)', type: ErrorBodyDto })
  put(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    this.routes.put(req, reply);
  }

  @Get(':key')
  @RequireScopes('read')
  @ApiOperation({
    summary: 'Read a value',
    description: 'Raw bytes by default; the JSON envelope when the Accept header contains `application/json`.',
  })
  @ApiParam(KEY_PARAM)
  @ApiProduces('application/octet-stream', 'application/json')
  @ApiResponse({ status: 200, description: 'the stored bytes, or the envelope', type: ItemEnvelopeDto })
  @ApiResponse({ status: 404, description: 'missing or expired', type: ErrorBodyDto })
  get(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    this.routes.get(req, reply);
  }

  @Head(':key')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Inspect metadata', description: 'X-Cache-* headers, no body.' })
  @ApiParam(KEY_PARAM)
  @ApiResponse({
    status: 200,
    description: 'hit',
    headers: {
      'X-Cache-Version': { description: 'decimal version', schema: { type: 'integer' } },
      'X-Cache-Origin': { description: 'node that assigned the version', schema: { type: 'string' } },
      'X-Cache-Last-Updated': { description: 'RFC 3339 UTC', schema: { type: 'string' } },
      'X-Cache-TTL-Ms': { description: 'remaining TTL in ms (only when > 0)', schema: { type: 'integer' } },
      'X-Cache-Expires-At': { description: 'RFC 3339 UTC (only when TTL > 0)', schema: { type: 'string' } },
      'X-Cache-Owners': { description: 'comma-joined owner IDs, primary first', schema: { type: 'string' } },
      'X-Cache-Node': { description: 'handling node ID', schema: { type: 'string' } },
    },
  })
  @ApiResponse({ status: 404, description: 'missing or expired (no body)' })
  head(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    this.routes.head(req, reply);
  }

  @Delete(':key')
  @RequireScopes('write')
  @ApiOperation({ summary: 'Remove a value', description: 'Idempotent: deleting a missing key also answers deleted:true.' })
  @ApiParam(KEY_PARAM)
  @ApiResponse({ status: 200, type: DeleteResponseDto })
  @ApiResponse({ status: 400, description: 'invalid key', type: ErrorBodyDto })
  @ApiResponse({ status: 503, description: 'node is draining (DRAINING), or cut off from the majority of the cluster under QUORUM/ALL writes (QUORUM_UNAVAILABLE)', type: ErrorBodyDto })
  delete(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    this.routes.delete(req, reply);
  }
}
