import { Controller, Delete, Get, Head, Inject, Put, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLOCK, type Clock } from '@hypercache/config';
import { RequireScopes } from '@hypercache/auth';
import { ApiError, rfc3339Seconds } from '@hypercache/http-kit';
import { NODE_CACHE, type NodeCache } from '@hypercache/node';
import { CLIENT_API_LIMITS, type ClientApiLimits } from './client-api.tokens';
import { ErrorBodyDto, DeleteResponseDto, ItemEnvelopeDto, PutResponseDto } from './dto';
import { itemEnvelope, remainingTtlMs } from './item-view';
import { checkKey, parseTtlQuery, wantsJson } from './request-parsing';

type KeyRequest = FastifyRequest<{ Params: { key?: string }; Querystring: { ttl?: unknown } }>;

const KEY_PARAM = {
  name: 'key',
  description:
    'Cache key, percent-decoded exactly once (send `/` as `%2F`). Non-empty, not blank, at most 1024 characters by default.',
};

/**
 * `PUT/GET/HEAD/DELETE /v1/cache/:key` (client-api.md §5.1–5.4). The hot path: raw body, key and
 * ttl checked by hand, the node seam called directly (with its synchronous local GET fast path),
 * the reply written without serializers. Scopes are enforced by the listener's auth hook.
 */
@ApiTags('cache')
@Controller('v1/cache')
export class CacheController {
  readonly #maxKeyLength: number;
  readonly #getLocal: ((key: string) => Buffer | undefined) | undefined;

  constructor(
    @Inject(NODE_CACHE) private readonly data: NodeCache,
    @Inject(CLOCK) private readonly now: Clock,
    @Inject(CLIENT_API_LIMITS) limits: ClientApiLimits,
  ) {
    this.#maxKeyLength = limits.maxKeyLength;
    this.#getLocal = data.getLocal;
  }

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
  async put(@Req() req: KeyRequest, @Res() reply: FastifyReply): Promise<void> {
    const key = checkKey(req.params.key, this.#maxKeyLength);
    const ttlMs = parseTtlQuery(req.query.ttl);
    const body = req.body instanceof Buffer ? req.body : EMPTY;
    const { owners } = await this.data.set(key, body, ttlMs);
    const ttlField = ttlMs > 0 ? `,"ttl_ms":${ttlMs}` : '';
    reply
      .header('content-type', 'application/json; charset=utf-8')
      .send(
        `{"key":${JSON.stringify(key)},"stored":true${ttlField},"bytes":${body.length},"node":${JSON.stringify(this.data.nodeId)},"owners":${JSON.stringify(owners)}}`,
      );
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
  get(@Req() req: KeyRequest, @Res() reply: FastifyReply): void | Promise<void> {
    const key = checkKey(req.params.key, this.#maxKeyLength);
    const json = wantsJson(req.headers.accept);
    if (!json && this.#getLocal !== undefined) {
      // Hot path: a local hit needs neither metadata nor an async hop.
      const value = this.#getLocal(key);
      if (value !== undefined) {
        reply.header('content-type', 'application/octet-stream').send(value);
        return;
      }
    }
    return this.#getFromCluster(key, json, reply);
  }

  async #getFromCluster(key: string, json: boolean, reply: FastifyReply): Promise<void> {
    const item = await this.data.get(key);
    if (item === undefined) throw new ApiError('NOT_FOUND', 'key not found');
    if (json) {
      const env = itemEnvelope(item, this.now(), this.data.nodeId, this.data.ownersOf(key));
      reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(env));
      return;
    }
    reply.header('content-type', 'application/octet-stream').send(item.value);
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
  async head(@Req() req: KeyRequest, @Res() reply: FastifyReply): Promise<void> {
    const key = checkKey(req.params.key, this.#maxKeyLength);
    const item = await this.data.get(key);
    if (item === undefined) throw new ApiError('NOT_FOUND', 'key not found');
    const ttl = remainingTtlMs(item, this.now());
    const owners = this.data.ownersOf(key);
    reply.header('x-cache-version', String(item.version));
    if (item.origin) reply.header('x-cache-origin', item.origin);
    if (item.lastUpdatedMs > 0) reply.header('x-cache-last-updated', rfc3339Seconds(item.lastUpdatedMs));
    if (ttl !== undefined && ttl > 0) {
      reply.header('x-cache-ttl-ms', String(ttl));
      reply.header('x-cache-expires-at', rfc3339Seconds(item.expiresAtMs));
    }
    if (owners.length > 0) reply.header('x-cache-owners', owners.join(','));
    reply.header('x-cache-node', this.data.nodeId);
    reply.send();
  }

  @Delete(':key')
  @RequireScopes('write')
  @ApiOperation({ summary: 'Remove a value', description: 'Idempotent: deleting a missing key also answers deleted:true.' })
  @ApiParam(KEY_PARAM)
  @ApiResponse({ status: 200, type: DeleteResponseDto })
  @ApiResponse({ status: 400, description: 'invalid key', type: ErrorBodyDto })
  @ApiResponse({ status: 503, description: 'node is draining (DRAINING), or cut off from the majority of the cluster under QUORUM/ALL writes (QUORUM_UNAVAILABLE)', type: ErrorBodyDto })
  async delete(@Req() req: KeyRequest, @Res() reply: FastifyReply): Promise<void> {
    const key = checkKey(req.params.key, this.#maxKeyLength);
    const { owners } = await this.data.remove(key);
    reply
      .header('content-type', 'application/json; charset=utf-8')
      .send(`{"key":${JSON.stringify(key)},"deleted":true,"node":${JSON.stringify(this.data.nodeId)},"owners":${JSON.stringify(owners)}}`);
  }
}

const EMPTY = Buffer.alloc(0);
