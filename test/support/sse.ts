import { request } from 'undici';

/** One Server-Sent Event as received. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  /** The `id:` field, when the event has one. */
  readonly id?: string;
}

/** An open SSE stream: its status and headers, the raw text so far, and the parsed events. */
export interface SseStream {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly events: SseEvent[];
  raw(): string;
  /** Resolves once `predicate` holds for the events received so far. */
  waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ended the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/**
 * Opens `url` as an event stream (real HTTP) and parses `id:`/`event:`/`data:` blocks as they
 * arrive. `headers` adds request headers (e.g. `last-event-id`).
 */
export async function openSse(url: string, token?: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await request(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  let text = '';
  let pending = '';
  const waiters = new Set<() => void>();
  const ended = (async () => {
    try {
      for await (const chunk of res.body) {
        text += chunk.toString();
        pending += chunk.toString();
        let i: number;
        while ((i = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, i);
          pending = pending.slice(i + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
          if (event !== undefined && data !== undefined) events.push(id === undefined ? { event, data } : { event, data, id });
        }
        for (const w of waiters) w();
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: res.statusCode,
    headers: res.headers,
    events,
    raw: () => text,
    ended,
    close: () => abort.abort(),
    waitFor: (predicate, timeoutMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(events)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SSE condition not met within ${timeoutMs} ms; got ${events.map((e) => e.event).join(',')}`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(events)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
  };
}
