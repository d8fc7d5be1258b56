/** RESP protocol version of a connection (`HELLO 3` switches to RESP3). */
export type RespProtocol = 2 | 3;

const INITIAL_BYTES = 16 * 1024;
/** Batches up to this size are copied out of the writer's buffer (which is then reused). */
const COPY_OUT_BYTES = 4 * 1024;
const CRLF = '\r\n';
/** `$<n>\r\n` headers of small bulk strings, built once. */
const BULK_HEADERS: Buffer[] = Array.from({ length: 1025 }, (_, n) => Buffer.from(`$${n}\r\n`, 'latin1'));
const OK = Buffer.from('+OK\r\n');
const NULL2 = Buffer.from('$-1\r\n');
const NULL_ARRAY2 = Buffer.from('*-1\r\n');
const NULL3 = Buffer.from('_\r\n');

/**
 * Encodes replies of one connection into one growing buffer, taken as a whole by the connection
 * after each batch of commands (one socket write per parsed chunk). RESP2 by default; with
 * `protocol = 3` maps, nulls, booleans and doubles use their RESP3 types, otherwise their RESP2
 * spellings (a map is a flat array, null is `$-1`).
 */
export class ReplyWriter {
  protocol: RespProtocol = 2;
  #buf = Buffer.allocUnsafe(INITIAL_BYTES);
  #len = 0;
  /** Prefix of the last error written (`ERR`, `NOAUTH`, …), for metrics; reset by the caller. */
  lastError: string | undefined;

  /** Bytes encoded and not yet taken. */
  get length(): number {
    return this.#len;
  }

  /** The encoded bytes so far (the writer starts over with a fresh buffer), or undefined when empty. */
  take(): Buffer | undefined {
    const len = this.#len;
    if (len === 0) return undefined;
    this.#len = 0;
    // Small batches are copied out (pooled allocation) and the buffer is reused; a large one is
    // handed over whole and the writer starts a fresh buffer.
    if (len <= COPY_OUT_BYTES) return Buffer.from(this.#buf.subarray(0, len));
    const out = this.#buf.subarray(0, len);
    this.#buf = Buffer.allocUnsafe(INITIAL_BYTES);
    return out;
  }

  #room(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#len + n));
    this.#buf.copy(next, 0, 0, this.#len);
    this.#buf = next;
  }

  #ascii(s: string): void {
    this.#room(s.length);
    this.#len += this.#buf.write(s, this.#len, 'latin1');
  }

  #bytes(b: Buffer): void {
    this.#room(b.length);
    this.#len += b.copy(this.#buf, this.#len);
  }

  /** `+OK`. */
  ok(): void {
    this.#bytes(OK);
  }

  /** A simple string (CR and LF are replaced by spaces). */
  simple(s: string): void {
    this.#utf8Line('+', s);
  }

  /** An error reply: `-PREFIX message`; `text` must start with its prefix (`ERR …`, `NOAUTH …`). */
  error(text: string): void {
    const space = text.indexOf(' ');
    this.lastError = space < 0 ? text : text.slice(0, space);
    this.#utf8Line('-', text);
  }

  #utf8Line(type: string, s: string): void {
    const clean = /[\r\n]/.test(s) ? s.replace(/[\r\n]/g, ' ') : s;
    this.#room(Buffer.byteLength(clean) + 3);
    this.#len += this.#buf.write(type, this.#len, 'latin1');
    this.#len += this.#buf.write(clean, this.#len, 'utf8');
    this.#len += this.#buf.write(CRLF, this.#len, 'latin1');
  }

  /** An integer reply. */
  integer(n: number): void {
    this.#ascii(`:${n}\r\n`);
  }

  /** A bulk string (a string is UTF-8 encoded); null is the protocol's null. */
  bulk(v: Buffer | string | null | undefined): void {
    if (v === null || v === undefined) return this.nil();
    if (typeof v === 'string') {
      const n = Buffer.byteLength(v);
      this.#room(n + 16);
      this.#len += this.#buf.write(`$${n}\r\n`, this.#len, 'latin1');
      this.#len += this.#buf.write(v, this.#len, 'utf8');
      this.#len += this.#buf.write(CRLF, this.#len, 'latin1');
      return;
    }
    const n = v.length;
    this.#room(n + 16);
    if (n < BULK_HEADERS.length) this.#len += BULK_HEADERS[n].copy(this.#buf, this.#len);
    else this.#len += this.#buf.write(`$${n}\r\n`, this.#len, 'latin1');
    this.#len += v.copy(this.#buf, this.#len);
    this.#buf[this.#len++] = 13;
    this.#buf[this.#len++] = 10;
  }

  /** Null: RESP2 `$-1`, RESP3 `_`. */
  nil(): void {
    this.#bytes(this.protocol === 3 ? NULL3 : NULL2);
  }

  /** Null array: RESP2 `*-1`, RESP3 `_`. */
  nilArray(): void {
    this.#bytes(this.protocol === 3 ? NULL3 : NULL_ARRAY2);
  }

  /** Array header of `n` elements (the caller writes them next). */
  array(n: number): void {
    this.#ascii(`*${n}\r\n`);
  }

  /** Map header of `n` pairs: RESP3 `%n`, RESP2 a flat array of 2n elements. */
  map(n: number): void {
    this.#ascii(this.protocol === 3 ? `%${n}\r\n` : `*${2 * n}\r\n`);
  }

  /** Set header: RESP3 `~n`, RESP2 an array. */
  set(n: number): void {
    this.#ascii(this.protocol === 3 ? `~${n}\r\n` : `*${n}\r\n`);
  }

  /** An array of bulk strings. */
  bulks(items: ReadonlyArray<Buffer | string | null | undefined>): void {
    this.array(items.length);
    for (const it of items) this.bulk(it);
  }

  /** Verbatim text (RESP3 `=n\r\ntxt:…`, RESP2 a bulk string), as INFO answers. */
  verbatim(text: string): void {
    if (this.protocol !== 3) return this.bulk(text);
    const n = Buffer.byteLength(text) + 4;
    this.#room(n + 16);
    this.#len += this.#buf.write(`=${n}\r\ntxt:`, this.#len, 'latin1');
    this.#len += this.#buf.write(text, this.#len, 'utf8');
    this.#len += this.#buf.write(CRLF, this.#len, 'latin1');
  }
}
