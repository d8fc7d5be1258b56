import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { RequireScopes } from '@hypercache/auth';
import { CLOCK, type Clock } from '@hypercache/config';
import { ApiError, toErrorResponse } from '@hypercache/http-kit';
import { NODE_CACHE, type NodeCache, type NodeWrite } from '@hypercache/node';
import { CLIENT_API_LIMITS, type ClientApiLimits } from './client-api.tokens';
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
import { checkKey, keyProblem } from './request-parsing';

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
    @Inject(NODE_CACHE) private readonly data: NodeCache,
    @Inject(CLOCK) private readonly now: Clock,
    @Inject(CLIENT_API_LIMITS) limits: ClientApiLimits,
  ) {
    this.#maxKeyLength = limits.maxKeyLength;
  }

  @Post('get')
  @RequireScopes('read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read many keys' })
  @ApiBody({ type: BatchKeysRequestDto })
  @ApiResponse({ status: 200, type: BatchGetResponseDto })
  async get(@Req() req: FastifyRequest): Promise<BatchGetResponseDto> {
    const keys = parseBody(req.body, keysRequest).keys ?? [];
    // An invalid key is simply not found (as upstream); only valid keys reach the node.
    const valid = keys.filter((key) => keyProblem(key, this.#maxKeyLength) === undefined);
    const found = new Map<string, NonNullable<Awaited<ReturnType<NodeCache['get']>>>>();
    (await this.data.getMany(valid)).forEach((item, i) => item !== undefined && found.set(valid[i], item));
    const results = keys.map((key) => {
      const item = found.get(key);
      return item === undefined ? { key, found: false } : batchFoundEntry(item, this.now(), this.data.ownersOf(key));
    });
    return { results: results as unknown as BatchGetResponseDto['results'], node: this.data.nodeId };
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
    const items = parseBody(req.body, putRequest).items ?? [];
    type Result = BatchPutResponseDto['results'][number];
    const failed = (key: string, e: unknown): Result => {
      const { body } = toErrorResponse(e);
      return { key, stored: false, error: body.error, code: body.code };
    };
    // Each item is checked first; the valid ones go to the node in one batch, in order.
    const checked = items.map((it) => {
      try {
        return this.#toWrite(req, it);
      } catch (e) {
        return failed(it.key ?? '', e);
      }
    });
    const writes = checked.filter((c): c is NodeWrite => 'value' in c);
    const written = await this.data.setMany(writes);
    let w = 0;
    const results = checked.map((c): Result => {
      if (!('value' in c)) return c;
      const r = written[w++];
      if (r.status === 'rejected') return failed(c.key, r.reason);
      const out: Result = { key: c.key, stored: true, owners: [...r.value.owners] };
      if (c.value.length > 0) out.bytes = c.value.length;
      return out;
    });
    return { results, node: this.data.nodeId };
  }

  #toWrite(req: FastifyRequest, it: NonNullable<z.infer<typeof putRequest>['items']>[number]): NodeWrite {
    const key = checkKey(it.key ?? '', this.#maxKeyLength);
    let value: Buffer;
    if (it.value_encoding === 'base64') {
      const text = it.value ?? '';
      if (!BASE64.test(text)) throw new ApiError('BAD_REQUEST', 'invalid base64 value: illegal base64 data');
      value = Buffer.from(text, 'base64');
    } else {
      value = Buffer.from(it.value ?? '', 'utf8');
    }
    const ttlMs = it.ttl_ms ?? 0;
    if (ttlMs < 0) throw new ApiError('BAD_REQUEST', 'expiration cannot be negative');
    if (isDrainingRequest(req)) throw new ApiError('DRAINING', 'node is draining; redirect to a peer');
    return { key, value, ttlMs };
  }

  @Post('delete')
  @RequireScopes('write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove many keys', description: 'Missing keys also answer deleted:true.' })
  @ApiBody({ type: BatchKeysRequestDto })
  @ApiResponse({ status: 200, type: BatchDeleteResponseDto })
  async delete(@Req() req: FastifyRequest): Promise<BatchDeleteResponseDto> {
    const keys = parseBody(req.body, keysRequest).keys ?? [];
    type Result = BatchDeleteResponseDto['results'][number];
    const failed = (key: string, owners: string[] | undefined, e: unknown): Result => {
      const { body } = toErrorResponse(e);
      return { key, deleted: false, ...(owners && { owners }), error: body.error, code: body.code };
    };
    const checked = keys.map((key): Result | { remove: string; owners: string[] } => {
      if (key === '') return failed(key, undefined, new ApiError('BAD_REQUEST', 'missing key'));
      const owners = [...this.data.ownersOf(key)];
      try {
        checkKey(key, this.#maxKeyLength);
        if (isDrainingRequest(req)) throw new ApiError('DRAINING', 'node is draining; redirect to a peer');
        return { remove: key, owners };
      } catch (e) {
        return failed(key, owners, e);
      }
    });
    const removes = checked.filter((c): c is { remove: string; owners: string[] } => 'remove' in c);
    const removed = await this.data.removeMany(removes.map((c) => c.remove));
    let r = 0;
    const results = checked.map((c): Result => {
      if (!('remove' in c)) return c;
      const done = removed[r++];
      return done.status === 'rejected' ? failed(c.remove, c.owners, done.reason) : { key: c.remove, deleted: true, owners: c.owners };
    });
    return { results, node: this.data.nodeId };
  }
}
