import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HyperCache } from '@hypercache/cache-engine';
import { CLOCK, SERVER_CONFIG, type Clock, type ServerConfig } from '@hypercache/config';
import { ApiError, toErrorResponse } from '@hypercache/http-kit';
import { KEY_OWNERSHIP, type KeyOwnership } from '@hypercache/membership';
import {
  BatchDeleteResponseDto,
  BatchGetResponseDto,
  BatchKeysRequestDto,
  BatchPutRequestDto,
  BatchPutResponseDto,
  ErrorBodyDto,
} from './dto';
import { batchFoundEntry } from './item-view';
import { isDrainingRequest } from './drain-gate';
import { checkKey } from './request-parsing';

// Request shapes follow Go's JSON decoding: unknown fields are ignored, null means empty, and a
// wrongly typed field fails the whole request with 400 "invalid JSON: …".
const keysRequest = z.object({ keys: z.array(z.string()).nullish() }).loose();
const putRequest = z
  .object({
    items: z
      .array(
        z
          .object({
            key: z.string().nullish(),
            value: z.string().nullish(),
            value_encoding: z.string().nullish(),
            ttl_ms: z.number().int().nullish(),
          })
          .loose(),
      )
      .nullish(),
  })
  .loose();

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function parseBody<T>(body: unknown, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(body instanceof Buffer ? body.toString('utf8') : '');
  } catch (e) {
    throw new ApiError('BAD_REQUEST', `invalid JSON: ${(e as Error).message}`);
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ApiError('BAD_REQUEST', `invalid JSON: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return r.data;
}

/**
 * `POST /v1/cache/batch/{get,put,delete}` (client-api.md §5.8): one result per input element in
 * request order, per-item errors, HTTP 200 even when every item failed; no atomicity across items.
 */
@ApiTags('batch')
@ApiBearerAuth('bearerAuth')
@ApiResponse({ status: 400, description: 'body is not valid JSON of the documented shape', type: ErrorBodyDto })
@ApiResponse({ status: 401, description: 'missing or invalid bearer token', type: ErrorBodyDto })
@ApiResponse({ status: 413, description: 'body larger than the limit', type: ErrorBodyDto })
@Controller('v1/cache/batch')
export class BatchController {
  readonly #maxKeyLength: number;

  constructor(
    private readonly cache: HyperCache<Buffer>,
    @Inject(KEY_OWNERSHIP) private readonly ownership: KeyOwnership,
    @Inject(CLOCK) private readonly now: Clock,
    @Inject(SERVER_CONFIG) config: ServerConfig,
  ) {
    this.#maxKeyLength = config.maxKeyLength;
  }

  @Post('get')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read many keys' })
  @ApiBody({ type: BatchKeysRequestDto })
  @ApiResponse({ status: 200, type: BatchGetResponseDto })
  get(@Req() req: FastifyRequest): BatchGetResponseDto {
    const { keys } = parseBody(req.body, keysRequest);
    const now = this.now();
    const results = (keys ?? []).map((key) => {
      const item = key === '' || key.length > this.#maxKeyLength ? undefined : this.cache.getWithInfo(key);
      return item === undefined ? { key, found: false } : batchFoundEntry(item, now, this.ownership.ownersOf(key));
    });
    return { results: results as unknown as BatchGetResponseDto["results"], node: this.ownership.nodeId };
  }

  @Post('put')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Write many keys',
    description: 'value_encoding "base64" decodes the value (invalid base64 fails that item only); any other value stores the UTF-8 text.',
  })
  @ApiBody({ type: BatchPutRequestDto })
  @ApiResponse({ status: 200, type: BatchPutResponseDto })
  put(@Req() req: FastifyRequest): BatchPutResponseDto {
    const { items } = parseBody(req.body, putRequest);
    const results = (items ?? []).map((it) => {
      const key = it.key ?? '';
      try {
        checkKey(key, this.#maxKeyLength);
        let bytes: Buffer;
        if (it.value_encoding === 'base64') {
          const text = it.value ?? '';
          if (!BASE64.test(text)) throw new ApiError('BAD_REQUEST', 'invalid base64 value: illegal base64 data');
          bytes = Buffer.from(text, 'base64');
        } else {
          bytes = Buffer.from(it.value ?? '', 'utf8');
        }
        const ttlMs = it.ttl_ms ?? 0;
        if (ttlMs < 0) throw new ApiError('BAD_REQUEST', 'expiration cannot be negative');
        if (isDrainingRequest(req)) throw new ApiError('DRAINING', 'node is draining; redirect to a peer');
        this.cache.set(key, bytes, ttlMs);
        const out: BatchPutResponseDto['results'][number] = { key, stored: true, owners: [...this.ownership.ownersOf(key)] };
        if (bytes.length > 0) out.bytes = bytes.length;
        return out;
      } catch (e) {
        const { body } = toErrorResponse(e);
        return { key, stored: false, error: body.error, code: body.code };
      }
    });
    return { results, node: this.ownership.nodeId };
  }

  @Post('delete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove many keys', description: 'Missing keys also answer deleted:true.' })
  @ApiBody({ type: BatchKeysRequestDto })
  @ApiResponse({ status: 200, type: BatchDeleteResponseDto })
  delete(@Req() req: FastifyRequest): BatchDeleteResponseDto {
    const { keys } = parseBody(req.body, keysRequest);
    const results = (keys ?? []).map((key) => {
      if (key === '') return { key, deleted: false, error: 'missing key', code: 'BAD_REQUEST' };
      const owners = [...this.ownership.ownersOf(key)];
      try {
        checkKey(key, this.#maxKeyLength);
        if (isDrainingRequest(req)) throw new ApiError('DRAINING', 'node is draining; redirect to a peer');
        this.cache.remove(key);
        return { key, deleted: true, owners };
      } catch (e) {
        const { body } = toErrorResponse(e);
        return { key, deleted: false, owners, error: body.error, code: body.code };
      }
    });
    return { results, node: this.ownership.nodeId };
  }
}
