import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { NodeState } from '@hypercache/node';

/** Dist listener `/health`: `200 ok`, or `503 draining` once drained (dist-protocol.md §13). */
@Controller()
export class DistHealthController {
  constructor(private readonly node: NodeState) {}

  @Get('health')
  health(@Res() reply: FastifyReply): void {
    reply
      .code(this.node.isDraining ? 503 : 200)
      .header('content-type', 'text/plain; charset=utf-8')
      .send(this.node.isDraining ? 'draining' : 'ok');
  }
}
