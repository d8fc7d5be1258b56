import { Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { RequireScopes } from '@hypercache/auth';
import { CLOCK, type Clock } from '@hypercache/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fnv1a32 } from '@hypercache/hashing';
import { compileKeyPattern, DistributedCache, QuorumFailedError, StaleVersionError } from '@hypercache/distributed';
import { NodeState } from '@hypercache/node';
import { ApiError, toErrorResponse } from '@hypercache/http-kit';
import {
  BATCH_CONTENT_TYPE,
  decodeBatchRequest,
  decodeRemoveQuery,
  decodeSetRequest,
  encodeBatchResponse,
  encodeGetResponse,
  parseWireJson,
  type BatchOp,
  type BatchResult,
} from '@hypercache/transport';

/** Local key-enumeration shards: the `/internal/keys` cursor space (dist-protocol.md §12). */
export const KEY_SHARDS = 8;

type Query = Record<string, string | undefined>;

/**
 * The peer routes of the dist listener (dist-protocol.md §17.1), behind peer auth. Thin: decode
 * the wire format, call the {@link DistributedCache} peer handler, encode the answer.
 */
@Controller()
export class PeerRoutesController {
  constructor(
    private readonly dist: DistributedCache,
    private readonly node: NodeState,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  @Post(['internal/set', 'internal/cache/set'])
  @HttpCode(200)
  async set(@Req() req: FastifyRequest<{ Querystring: Query }>, @Res() reply: FastifyReply): Promise<void> {
    const body = req.body instanceof Buffer ? req.body.toString('utf8') : '';
    const { item, replicate } = decodeSetRequest(parseWireJson(body), this.now);
    try {
      await this.dist.handleSet(item, replicate, checked(req.query));
    } catch (e) {
      if (e instanceof QuorumFailedError) {
        reply.code(500).send({ error: e.message, code: QuorumFailedError.WIRE_CODE });
        return;
      }
      if (sendStale(e, reply)) return;
      throw e;
    }
    reply.send({});
  }

  /**
   * `POST /internal/batch` (TS extension, docs/decisions.md D16): many set/remove operations in
   * one MessagePack body, run concurrently, answered with one result per operation in order —
   * each the status and envelope its single-item route would have answered. `?check=1` (F16):
   * every replica write and delete in it is checked ({@link checked}).
   */
  @Post('internal/batch')
  @HttpCode(200)
  async batch(@Req() req: FastifyRequest<{ Querystring: Query }>, @Res() reply: FastifyReply): Promise<void> {
    const body = req.body instanceof Buffer ? req.body : Buffer.alloc(0);
    const ops = decodeBatchRequest(body, this.now);
    const check = checked(req.query);
    const results = await Promise.all(ops.map((op) => this.#run(op, check)));
    reply.type(BATCH_CONTENT_TYPE).send(encodeBatchResponse(results));
  }

  #run(op: BatchOp, check: boolean): Promise<BatchResult> {
    const done =
      op.kind === 'set' ? this.dist.handleSet(op.item, op.replicate, check) : this.dist.handleRemove(op.key, op.replicate, op.version, op.origin, check);
    return done.then(
      () => undefined,
      (e: unknown): BatchResult => {
        if (e instanceof QuorumFailedError) return { status: 500, code: QuorumFailedError.WIRE_CODE, error: e.message };
        if (e instanceof StaleVersionError) return { status: e.status, code: e.code, error: e.message, version: e.current };
        const { status, body } = toErrorResponse(e);
        return { status, code: body.code, error: body.error };
      },
    );
  }

  @Get(['internal/get', 'internal/cache/get'])
  get(@Req() req: FastifyRequest<{ Querystring: Query }>, @Res() reply: FastifyReply): void {
    const key = req.query.key;
    if (!key) throw new ApiError('BAD_REQUEST', 'missing key');
    reply.send(encodeGetResponse(this.dist.handleGet(key)));
  }

  @Delete(['internal/del', 'internal/cache/remove'])
  async remove(@Req() req: FastifyRequest<{ Querystring: Query }>, @Res() reply: FastifyReply): Promise<void> {
    const q = decodeRemoveQuery(req.query);
    try {
      await this.dist.handleRemove(q.key, q.replicate, q.version, q.origin, checked(req.query));
    } catch (e) {
      if (sendStale(e, reply)) return;
      throw e;
    }
    reply.send({});
  }

  @Get('internal/keys')
  keys(@Req() req: FastifyRequest<{ Querystring: Query }>, @Res() reply: FastifyReply): void {
    const cursor = nonNegativeInt(req.query.cursor, 'cursor');
    const limit = nonNegativeInt(req.query.limit, 'limit');
    const matches = compileKeyPattern(req.query.q);
    if (cursor >= KEY_SHARDS) {
      reply.send({ keys: [], next_cursor: '', truncated: false });
      return;
    }
    const keys: string[] = [];
    let truncated = false;
    for (const key of this.dist.localKeys()) {
      if ((fnv1a32(key) >>> 0) % KEY_SHARDS !== cursor || !matches(key)) continue;
      if (limit > 0 && keys.length >= limit) {
        truncated = true;
        break;
      }
      keys.push(key);
    }
    const next = truncated ? String(cursor) : cursor + 1 < KEY_SHARDS ? String(cursor + 1) : '';
    reply.send({ keys, next_cursor: next, truncated });
  }

  @Post('dist/drain')
  @HttpCode(200)
  @RequireScopes('admin')
  drain(@Res() reply: FastifyReply): void {
    this.node.drain();
    reply.send({ draining: true });
  }
}

/**
 * A checked peer write (`?check=1`, docs/decisions.md F16): a replica write or delete older than
 * what this node holds is refused with `409 STALE_VERSION` and the newer `version`.
 */
function checked(query: Query): boolean {
  return query.check === '1';
}

/** Answers a {@link StaleVersionError} (the error envelope plus the newer `version`); false for any other error. */
function sendStale(e: unknown, reply: FastifyReply): boolean {
  if (!(e instanceof StaleVersionError)) return false;
  reply.code(e.status).send({ error: e.message, code: e.code, version: e.current });
  return true;
}

function nonNegativeInt(raw: string | undefined, name: string): number {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new ApiError('BAD_REQUEST', `invalid ${name}`);
  return Number(raw);
}
