/** One server-sent event (HTML Living Standard §9.2). `id` is the last id seen on the stream. */
export interface SseFrame {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/**
 * Incremental SSE parser: feed it decoded text chunks in any split (lines may straddle chunks,
 * CRLF / CR / LF endings); it returns the complete events. Comments (`:`) are skipped, `event`
 * defaults to `message`, multi-line `data` is joined with `\n`, an event without data is not
 * dispatched, and `id` persists across events as the spec says.
 */
export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #id: string | undefined;
  #pendingCr = false;

  /** The last event id received (what to send as `Last-Event-ID`). */
  get lastEventId(): string | undefined {
    return this.#id;
  }

  /** Parses `chunk` and returns the events it completed. */
  push(chunk: string): SseFrame[] {
    const out: SseFrame[] = [];
    let text = chunk;
    // A CR at the end of the previous chunk may be the first half of a CRLF.
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = false;
    this.#buffer += text;
    let start = 0;
    for (let i = 0; i < this.#buffer.length; i++) {
      const c = this.#buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.#buffer.slice(start, i);
      if (c === 13) {
        if (i + 1 < this.#buffer.length) {
          if (this.#buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          this.#pendingCr = true;
        }
      }
      start = i + 1;
      this.#line(line, out);
    }
    this.#buffer = this.#buffer.slice(start);
    return out;
  }

  #line(line: string, out: SseFrame[]): void {
    if (line === '') {
      if (this.#data.length > 0) out.push({ event: this.#event || 'message', data: this.#data.join('\n'), id: this.#id });
      this.#event = '';
      this.#data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
  }
}
