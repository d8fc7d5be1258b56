import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { RequireScopes } from '@hypercache/auth';
import { DistributedCache } from '@hypercache/distributed';
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
@ApiResponse({ status: 400, description: 'body is not valid JSON of the documented shape', type: ErrorBodyDto })
@ApiResponse({ status: 413, description: 'body larger than the limit', type: ErrorBodyDto })
@Controller('v1/cache/batch')
export class BatchController {
  readonly #maxKeyLength: number;

  constructor(
    private readonly dist: DistributedCache,
    @Inject(KEY_OWNERSHIP) private readonly ownership: KeyOwnership,
    @Inject(CLOCK) private readonly now: Clock,
    @Inject(SERVER_CONFIG) config: ServerConfig,
  ) {
    this.#maxKeyLength = config.maxKeyLength;
  }

  @Post('get')
  @RequireScopes('read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read many keys' })
  @ApiBody({ type: BatchKeysRequestDto })
  @ApiResponse({ status: 200, type: BatchGetResponseDto })
  async get(@Req() req: FastifyRequest): Promise<BatchGetResponseDto> {
    const { keys } = parseBody(req.body, keysRequest);
    const results: Array<Record<string, unknown>> = [];
    for (const key of keys ?? []) {
      const item = key === '' || key.length > this.#maxKeyLength || key.trim() === '' ? undefined : await this.dist.get(key);
      results.push(item === undefined ? { key, found: false } : batchFoundEntry(item, this.now(), this.ownership.ownersOf(key)));
    }
    return { results: results as unknown as BatchGetResponseDto['results'], node: this.ownership.nodeId };
  }

  @Post('put')
  @RequireScopes('write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Write many keys',
    description: 'value_encoding "base64" decodes the value (invalid base64 fails that item only); any other value stores the UTF-8 text.',
  })
  @ApiBody({ type: BatchPutRequestDto })
  @ApiResponse({ status: 200, type: BatchPutResponseDto })
  async put(@Req() req: FastifyRequest): Promise<BatchPutResponseDto> {
    const { items } = parseBody(req.body, putRequest);
    const results: BatchPutResponseDto['results'] = [];
    for (const it of items ?? []) results.push(await this.#putOne(req, it));
    return { results, node: this.ownership.nodeId };
  }

  async #putOne(
    req: FastifyRequest,
    it: NonNullable<z.infer<typeof putRequest>['items']>[number],
  ): Promise<BatchPutResponseDto['results'][number]> {
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
      const { owners } = await this.dist.set(key, bytes, ttlMs);
      const out: BatchPutResponseDto['results'][number] = { key, stored: true, owners: [...owners] };
      if (bytes.length > 0) out.bytes = bytes.length;
      return out;
    } catch (e) {
      const { body } = toErrorResponse(e);
      return { key, stored: false, error: body.error, code: body.code };
    }
  }

  @Post('delete')
  @RequireScopes('write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove many keys', description: 'Missing keys also answer deleted:true.' })
  @ApiBody({ type: BatchKeysRequestDto })
  @ApiResponse({ status: 200, type: BatchDeleteResponseDto })
  async delete(@Req() req: FastifyRequest): Promise<BatchDeleteResponseDto> {
    const { keys } = parseBody(req.body, keysRequest);
    const results: BatchDeleteResponseDto['results'] = [];
    for (const key of keys ?? []) results.push(await this.#deleteOne(req, key));
    return { results, node: this.ownership.nodeId };
  }

  async #deleteOne(req: FastifyRequest, key: string): Promise<BatchDeleteResponseDto['results'][number]> {
    if (key === '') return { key, deleted: false, error: 'missing key', code: 'BAD_REQUEST' };
    const owners = [...this.ownership.ownersOf(key)];
    try {
      checkKey(key, this.#maxKeyLength);
      if (isDrainingRequest(req)) throw new ApiError('DRAINING', 'node is draining; redirect to a peer');
      await this.dist.remove(key);
      return { key, deleted: true, owners };
    } catch (e) {
      const { body } = toErrorResponse(e);
      return { key, deleted: false, owners, error: body.error, code: body.code };
    }
  }
}
