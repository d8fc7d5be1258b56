import { BeforeApplicationShutdown, Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags, ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScopes } from '@hypercache/auth';
import { ClusterEventBus, ClusterEventType, NodeMetrics, NotClusteredError } from '@hypercache/node';

/** SSE reconnect delay announced to clients, ms (management-api.md §7). */
const RETRY_MS = 5_000;

/**
 * `GET /cluster/events` (management-api.md §7): a Server-Sent Events stream of `members` and
 * `heartbeat` events. Subscribes to the bus *before* taking the snapshot, so no event is lost
 * between the two; forwards events as fast as the socket accepts them (the bus buffers 16 per
 * subscriber and drops beyond). Ends on client disconnect, write error or server shutdown.
 */
@ApiTags('management')
@ApiBearerAuth('bearerAuth')
@Controller()
export class ClusterEventsController implements BeforeApplicationShutdown {
  constructor(
    private readonly bus: ClusterEventBus,
    private readonly metrics: NodeMetrics,
  ) {}

  @Get('cluster/events')
  @RequireScopes('read')
  @ApiOperation({
    summary: 'Topology event stream (Server-Sent Events)',
    description:
      '`retry: 5000`, then a `members` and a `heartbeat` snapshot, then `event: members` after every membership change and `event: heartbeat` every second. Payloads as `/cluster/members` and `/cluster/heartbeat`.',
  })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'text/event-stream' })
  @ApiResponse({ status: 501, description: '`NOT_CLUSTERED`: the node runs over Redis (`HYPERCACHE_BACKEND=redis|redis-cluster`)' })
  events(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    // Before the hijack, so the filter answers 501 with the JSON error body.
    if (!this.metrics.isClustered) throw new NotClusteredError('/cluster/events');
    reply.hijack();
    const res = reply.raw;
    let blocked = false;
    let open = true;
    const end = () => {
      if (!open) return;
      open = false;
      sub.close();
      res.end();
    };
    const flush = () => {
      if (!open || blocked) return;
      for (const e of sub.take()) {
        if (!res.write(`event: ${e.type}\ndata: ${e.json}\n\n`)) blocked = true;
      }
      if (blocked) {
        res.once('drain', () => {
          blocked = false;
          flush();
        });
      }
    };
    // Subscribe first, then snapshot (no event lost in between).
    const sub = this.bus.subscribe(flush, end);
    req.raw.once('close', end);
    res.once('error', end);
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    res.write(`event: ${ClusterEventType.Members}\ndata: ${JSON.stringify(this.metrics.members())}\n\n`);
    res.write(`event: ${ClusterEventType.Heartbeat}\ndata: ${JSON.stringify(this.metrics.heartbeat())}\n\n`);
    flush();
  }

  /** Server shutdown ends every stream first, so closing the listener is not held by them. */
  beforeApplicationShutdown(): void {
    this.bus.close();
  }
}
