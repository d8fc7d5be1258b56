import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventJournal } from './event-journal';

/** Options of {@link serveJournalSse}. */
export interface JournalSseOptions {
  /** `retry:` announced first, ms (the client's reconnect delay). Omitted when undefined. */
  readonly retryMs?: number;
  /**
   * Frames written after the reset/replayed frames and before any live one, given whether the
   * stream resumed from `Last-Event-ID` (management writes its snapshot when it did not).
   */
  readonly prelude?: (resumed: boolean) => readonly string[];
  /** After the stream ended, a socket that has not taken the last frames within this is destroyed, ms. Default 30000. */
  readonly endGraceMs?: number;
}

/**
 * The `Last-Event-ID` of a request: the header (what `EventSource` sends on reconnect), else the
 * `lastEventId` query parameter (for tools and browsers starting a fresh `EventSource`).
 */
export function lastEventIdOf(req: IncomingMessage, query: { lastEventId?: unknown } | undefined): string | undefined {
  const header = req.headers['last-event-id'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader !== undefined && fromHeader !== '') return fromHeader;
  const q = query?.lastEventId;
  const fromQuery = Array.isArray(q) ? q[0] : q;
  return typeof fromQuery === 'string' && fromQuery !== '' ? fromQuery : undefined;
}

/**
 * Serves `journal` as a Server-Sent Events response on `res` (already authorized; the caller has
 * taken the response over from its framework): headers, `retry`, the reset or replayed frames, the
 * prelude, then live frames as fast as the socket accepts them. A frame the socket does not take
 * waits in the subscription's bounded queue (the journal cuts a subscriber off with a `reset` when
 * it overflows); publishing never waits on the socket. Ends when the client goes away, or after the
 * final frames when the journal ends the subscription (overflow, shutdown).
 */
export function serveJournalSse(res: ServerResponse, journal: EventJournal, lastEventId: string | undefined, o: JournalSseOptions = {}): void {
  let started = false;
  let blocked = false;
  let open = true;
  const flush = (): void => {
    if (!started || !open || blocked) return;
    for (const frame of sub.take()) {
      if (!res.write(frame)) blocked = true;
    }
    if (blocked) {
      res.once('drain', () => {
        blocked = false;
        flush();
      });
    }
  };
  const finish = (): void => {
    if (!open) return;
    open = false;
    // The last frames (an overflow reset) are written even past the socket's high-water mark.
    for (const frame of sub.take()) res.write(frame);
    res.end();
    const destroy = setTimeout(() => res.destroy(), o.endGraceMs ?? 30_000);
    destroy.unref();
    res.once('close', () => clearTimeout(destroy));
  };
  const sub = journal.subscribe(lastEventId, { notify: flush, onClose: () => (started ? finish() : undefined) });
  const gone = (): void => {
    open = false;
    sub.close();
  };
  // The response's 'close' is the connection's (a GET request's own 'close' may come early).
  res.once('close', gone);
  res.once('error', gone);
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  if (o.retryMs !== undefined) res.write(`retry: ${o.retryMs}\n\n`);
  for (const frame of sub.initial) res.write(frame);
  for (const frame of o.prelude?.(sub.resumed) ?? []) res.write(frame);
  started = true;
  if (sub.ended) finish();
  else flush();
}
