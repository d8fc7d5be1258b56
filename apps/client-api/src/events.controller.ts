import { BeforeApplicationShutdown, Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScopes } from '@hypercache/auth';
import { lastEventIdOf, serveJournalSse, type EventJournal } from '@hypercache/node';
import { CLIENT_EVENTS } from './client-api.tokens';

/** SSE reconnect delay announced to clients, ms. */
const RETRY_MS = 1_000;

/**
 * `GET /v1/events` (issue 17): this node's local key changes as Server-Sent Events — `set`,
 * `delete`, `expire`, `clear` with `{key, version, origin, node}` and an `id` (`<epoch>-<seq>`),
 * `Last-Event-ID` resume from a bounded buffer, `reset` when that is impossible, heartbeats, and a
 * bounded per-subscriber queue (docs/decisions.md T3–T7).
 */
@ApiTags('cache')
@Controller('v1/events')
export class EventsController implements BeforeApplicationShutdown {
  constructor(@Inject(CLIENT_EVENTS) private readonly journal: EventJournal) {}

  @Get()
  @RequireScopes('read')
  @ApiOperation({
    summary: 'Key-change stream of this node (Server-Sent Events)',
    description: [
      "Every change applied to THIS node's store, as coordinator or replica: `event: set|delete|expire|clear`, `data: {\"key\",\"version\",\"origin\",\"node\"}` (`clear`: no key, no version), each with `id: <epoch>-<seq>` (epoch random per process start, seq from 1).",
      'Subscribe to every member (`GET /v1/topology`) and de-duplicate by key + version: each owner reports the changes it applies.',
      '`Last-Event-ID` (header, or `?lastEventId=`) replays the buffered events after it; when the id is from another epoch or older than the buffer (`HYPERCACHE_EVENTS_BUFFER`), `event: reset` `{"reason":"epoch"|"evicted","node"}` comes first: drop what you cached from this node.',
      '`event: heartbeat` `{"node","lastId","ringVersion"}` every `HYPERCACHE_EVENTS_HEARTBEAT` (a `lastId` ahead of the last id received reveals a gap; a new `ringVersion` means the topology changed).',
      'A subscriber that falls `HYPERCACHE_EVENTS_QUEUE` bytes behind gets `event: reset` `{"reason":"overflow"}` and the stream ends; writes never wait on subscribers.',
    ].join('\n\n'),
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' })
  @ApiQuery({ name: 'lastEventId', required: false, description: 'Same as the Last-Event-ID header (for tools)' })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'text/event-stream' })
  events(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: { lastEventId?: unknown }): void {
    reply.hijack();
    serveJournalSse(reply.raw, this.journal, lastEventIdOf(req.raw, query), { retryMs: RETRY_MS });
  }

  /** Server shutdown ends every stream first, so closing the listener is not held by them. */
  beforeApplicationShutdown(): void {
    this.journal.close();
  }
}
