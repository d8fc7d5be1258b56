import { BeforeApplicationShutdown, Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScopes } from '@hypercache/auth';
import { ClusterEventType, EventJournal, lastEventIdOf, NodeMetrics, serveJournalSse } from '@hypercache/node';

/** SSE reconnect delay announced to clients, ms (management-api.md §7). */
const RETRY_MS = 5_000;

/**
 * `GET /cluster/events` (management-api.md §7): a Server-Sent Events stream of `members` and
 * `heartbeat` events, each with an `id` from this node's management sequence (issue 17). A fresh
 * stream starts with a `members` and a `heartbeat` snapshot; a reconnect with `Last-Event-ID` gets
 * the events it missed instead, or `event: reset` and the snapshot when they are no longer kept.
 * A subscriber that falls more than the queue bound behind gets `reset` (`overflow`) and is closed.
 */
@ApiTags('management')
@ApiBearerAuth('bearerAuth')
@Controller()
export class ClusterEventsController implements BeforeApplicationShutdown {
  constructor(
    private readonly journal: EventJournal,
    private readonly metrics: NodeMetrics,
  ) {}

  @Get('cluster/events')
  @RequireScopes('read')
  @ApiOperation({
    summary: 'Topology event stream (Server-Sent Events)',
    description:
      '`retry: 5000`, then a `members` and a `heartbeat` snapshot, then `event: members` after every membership change and `event: heartbeat` every second. Payloads as `/cluster/members` and `/cluster/heartbeat`. Every event has an `id` (`<epoch>-<seq>`); a reconnect with `Last-Event-ID` replays the missed events, or sends `event: reset` (`{"reason":"epoch"|"evicted","node"}`) and a fresh snapshot when they are no longer buffered. A subscriber that does not keep up gets `event: reset` `{"reason":"overflow"}` and the stream ends.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' })
  @ApiQuery({ name: 'lastEventId', required: false, description: 'Same as the Last-Event-ID header (for tools)' })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'text/event-stream' })
  events(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: { lastEventId?: unknown }): void {
    reply.hijack();
    serveJournalSse(reply.raw, this.journal, lastEventIdOf(req.raw, query), {
      retryMs: RETRY_MS,
      prelude: (resumed) =>
        resumed
          ? []
          : [
              `event: ${ClusterEventType.Members}\ndata: ${JSON.stringify(this.metrics.members())}\n\n`,
              `event: ${ClusterEventType.Heartbeat}\ndata: ${JSON.stringify(this.metrics.heartbeat())}\n\n`,
            ],
    });
  }

  /** Server shutdown ends every stream first, so closing the listener is not held by them. */
  beforeApplicationShutdown(): void {
    this.journal.close();
  }
}
