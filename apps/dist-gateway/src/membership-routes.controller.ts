import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FailureDetector } from '@hypercache/membership';
import { ApiError } from '@hypercache/http-kit';
import { parseWireJson } from '@hypercache/transport';

/**
 * SWIM routes of the dist listener (dist-protocol.md §13, §14, §17.1), behind peer auth:
 * `POST /internal/gossip` (merge + push-pull answer) and `GET /internal/probe?target=` (relay).
 */
@Controller()
export class MembershipRoutesController {
  constructor(private readonly detector: FailureDetector) {}

  /**
   * Merges a gossip body (JSON array of `{id, address, state, incarnation}`) and answers 200 with
   * this node's own member list (TS push-pull; upstream senders ignore the body). A malformed body
   * is a 400 and nothing of it is merged.
   */
  @Post('internal/gossip')
  @HttpCode(200)
  gossip(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const text = req.body instanceof Buffer ? req.body.toString('utf8') : '';
    const body = parseWireJson(text);
    if (!Array.isArray(body)) throw new ApiError('BAD_REQUEST', 'gossip body must be a JSON array of members');
    reply.send(this.detector.handleGossip(body, req.ip));
  }

  /** Indirect probe relay: `200 ok` reachable, `502` probe failed, `404` unknown target, `400` missing target. */
  @Get('internal/probe')
  async probe(@Req() req: FastifyRequest<{ Querystring: { target?: string } }>, @Res() reply: FastifyReply): Promise<void> {
    const target = req.query.target;
    if (!target) {
      reply.code(400).send({ error: 'missing target' });
      return;
    }
    const outcome = await this.detector.relayProbe(target);
    if (outcome === 'unknown') reply.code(404).send({ error: 'target not found' });
    else if (outcome === 'failed') reply.code(502).send({ error: 'probe failed' });
    else reply.header('content-type', 'text/plain; charset=utf-8').send('ok');
  }
}
