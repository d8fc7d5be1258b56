import { RespProtocolError } from './errors';

/** An error reply (`-MESSAGE`) as the parser yields it. */
export interface RespErrorReply {
  readonly respError: string;
}

/**
 * One parsed RESP2 value: bulk and simple strings as Buffer slices of the input (no copy),
 * integers as numbers, null bulk / null array as null, arrays as arrays, error replies as
 * {@link RespErrorReply}. Client commands are arrays of bulk strings (or inline lines).
 */
export type RespValue = Buffer | number | null | RespErrorReply | RespValue[];

/** Limits of a {@link RespParser}. */
export interface RespParserOptions {
  /** Largest bulk string, bytes (default 1 MiB; the node passes `HYPERCACHE_MAX_BODY_BYTES`). */
  maxBulkBytes?: number;
  /** Largest array length (default 1 048 576). */
  maxArrayLength?: number;
  /** Deepest array nesting (default 8; a client command has depth 1). */
  maxDepth?: number;
  /**
   * Largest incomplete frame buffered while waiting for its end, bytes (default
   * `2 × maxBulkBytes + 64 KiB`): bounds the per-connection input buffer.
   */
  maxFrameBytes?: number;
  /** Accept inline commands (`PING\r\n`, as telnet sends them) at the top level. Default false. */
  inline?: boolean;
}

/** {@link RespParserOptions} with every default filled in. */
export type ResolvedRespParserOptions = Required<RespParserOptions>;

/** Inline commands and header lines longer than this are refused (as Redis's 64 KiB inline limit). */
const MAX_INLINE_BYTES = 64 * 1024;

/** Fills in defaults and rejects nonsense, naming the option. */
export function resolveRespParserOptions(o: RespParserOptions = {}): ResolvedRespParserOptions {
  const maxBulkBytes = o.maxBulkBytes ?? 1024 * 1024;
  const maxArrayLength = o.maxArrayLength ?? 1024 * 1024;
  const maxDepth = o.maxDepth ?? 8;
  const maxFrameBytes = o.maxFrameBytes ?? 2 * maxBulkBytes + MAX_INLINE_BYTES;
  for (const [name, v] of Object.entries({ maxBulkBytes, maxArrayLength, maxDepth, maxFrameBytes })) {
    if (!Number.isSafeInteger(v) || v < 1) throw new TypeError(`${name} must be a positive integer, got ${v}`);
  }
  return { maxBulkBytes, maxArrayLength, maxDepth, maxFrameBytes, inline: o.inline ?? false };
}

const INCOMPLETE = Symbol('incomplete');
type Parsed = RespValue | typeof INCOMPLETE;

const CR = 13;
const LF = 10;

/**
 * A streaming RESP2 parser written by hand: feed it socket chunks in any split, it calls back once
 * per complete top-level value, in order. No per-byte allocations: strings are slices of the
 * input, numbers are read digit by digit. A frame split across chunks is kept as a list of
 * chunks and joined only once enough bytes arrived to finish the part it stopped in (a large
 * bulk string is joined once, not once per chunk). Malformed or over-limit input throws a
 * {@link RespProtocolError}; the parser is then unusable (the connection closes).
 */
export class RespParser {
  readonly #o: ResolvedRespParserOptions;
  #parts: Buffer[] = [];
  #partsBytes = 0;
  /** Bytes the buffered partial frame needs before a retry can make progress. */
  #need = 0;
  #buf: Buffer = Buffer.alloc(0);
  #pos = 0;
  /** Absolute end (in #buf) of the bulk string the last parse stopped in, or 0. */
  #wantEnd = 0;

  constructor(o: RespParserOptions = {}) {
    this.#o = resolveRespParserOptions(o);
  }

  /** Bytes held for an incomplete frame (bounded by `maxFrameBytes`). */
  get bufferedBytes(): number {
    return this.#partsBytes;
  }

  /** Parses `chunk`, calling `onValue` for each complete value. @throws RespProtocolError */
  feed(chunk: Buffer, onValue: (v: RespValue) => void): void {
    let buf = chunk;
    if (this.#partsBytes > 0) {
      this.#parts.push(chunk);
      this.#partsBytes += chunk.length;
      if (this.#partsBytes < this.#need) return this.#checkFrame(this.#partsBytes);
      buf = Buffer.concat(this.#parts, this.#partsBytes);
      this.#parts = [];
      this.#partsBytes = 0;
    }
    this.#buf = buf;
    let start = 0;
    while (start < buf.length) {
      this.#pos = start;
      this.#wantEnd = 0;
      const v = this.#value(0);
      if (v === INCOMPLETE) {
        const rest = buf.length - start;
        this.#checkFrame(this.#wantEnd > 0 ? this.#wantEnd - start : rest);
        this.#parts = [start === 0 ? buf : buf.subarray(start)];
        this.#partsBytes = rest;
        this.#need = this.#wantEnd > 0 ? this.#wantEnd - start : rest + 1;
        break;
      }
      start = this.#pos;
      if (v !== SKIP) onValue(v);
    }
    this.#buf = EMPTY;
  }

  #checkFrame(bytes: number): void {
    if (bytes > this.#o.maxFrameBytes) throw new RespProtocolError(`frame larger than ${this.#o.maxFrameBytes} bytes`);
  }

  #value(depth: number): Parsed {
    const buf = this.#buf;
    if (this.#pos >= buf.length) return INCOMPLETE;
    const type = buf[this.#pos];
    switch (type) {
      case 0x24: // $
        return this.#bulk();
      case 0x2a: // *
        return this.#array(depth);
      case 0x2b: {
        // +
        const end = this.#lineEnd(this.#pos + 1);
        if (end < 0) return INCOMPLETE;
        const s = buf.subarray(this.#pos + 1, end);
        this.#pos = end + 2;
        return s;
      }
      case 0x2d: {
        // -
        const end = this.#lineEnd(this.#pos + 1);
        if (end < 0) return INCOMPLETE;
        const message = buf.toString('utf8', this.#pos + 1, end);
        this.#pos = end + 2;
        return { respError: message };
      }
      case 0x3a: {
        // :
        const n = this.#integer(false);
        return n === INCOMPLETE ? INCOMPLETE : n;
      }
      default:
        if (depth === 0 && this.#o.inline) return this.#inline();
        throw new RespProtocolError(`expected '$', '*', '+', '-' or ':', got '${String.fromCharCode(type)}'`);
    }
  }

  /** Index of the `\r` of the `\r\n` ending the line from `from`, or -1 when not yet here. */
  #lineEnd(from: number): number {
    const buf = this.#buf;
    const i = buf.indexOf(LF, from);
    if (i < 0) {
      if (buf.length - from > MAX_INLINE_BYTES) throw new RespProtocolError('line too long');
      return -1;
    }
    if (i === from || buf[i - 1] !== CR) throw new RespProtocolError('line not ended by CRLF');
    return i - 1;
  }

  /** A header or integer line at #pos (type byte included); lengths refuse a sign other than -1. */
  #integer(isLength: boolean): number | typeof INCOMPLETE {
    const buf = this.#buf;
    let i = this.#pos + 1;
    const len = buf.length;
    let negative = false;
    if (i < len && buf[i] === 0x2d) {
      negative = true;
      i++;
    }
    let n = 0;
    let digits = 0;
    for (; i < len; i++) {
      const c = buf[i];
      if (c >= 0x30 && c <= 0x39) {
        n = n * 10 + (c - 0x30);
        if (++digits > 19) throw new RespProtocolError('number too long');
        continue;
      }
      if (c !== CR) throw new RespProtocolError(isLength ? 'invalid length' : 'invalid integer');
      if (i + 1 >= len) return INCOMPLETE;
      if (buf[i + 1] !== LF || digits === 0) throw new RespProtocolError(isLength ? 'invalid length' : 'invalid integer');
      this.#pos = i + 2;
      if (negative && isLength && n !== 1) throw new RespProtocolError('invalid length');
      return negative ? -n : n;
    }
    if (digits > 19 || len - this.#pos > 24) throw new RespProtocolError('number too long');
    return INCOMPLETE;
  }

  #bulk(): Parsed {
    const start = this.#pos;
    const n = this.#integer(true);
    if (n === INCOMPLETE) return INCOMPLETE;
    if (n === -1) return null;
    if (n > this.#o.maxBulkBytes) throw new RespProtocolError(`invalid bulk length (${n} bytes, limit ${this.#o.maxBulkBytes})`);
    const buf = this.#buf;
    const from = this.#pos;
    const end = from + n;
    if (end + 2 > buf.length) {
      this.#wantEnd = end + 2;
      this.#pos = start;
      return INCOMPLETE;
    }
    if (buf[end] !== CR || buf[end + 1] !== LF) throw new RespProtocolError('bulk string not ended by CRLF');
    this.#pos = end + 2;
    return buf.subarray(from, end);
  }

  #array(depth: number): Parsed {
    if (depth + 1 > this.#o.maxDepth) throw new RespProtocolError(`arrays nested deeper than ${this.#o.maxDepth}`);
    const n = this.#integer(true);
    if (n === INCOMPLETE) return INCOMPLETE;
    if (n === -1) return null;
    if (n > this.#o.maxArrayLength) throw new RespProtocolError(`invalid multibulk length (${n}, limit ${this.#o.maxArrayLength})`);
    const out: RespValue[] = new Array<RespValue>(n);
    for (let i = 0; i < n; i++) {
      const v = this.#value(depth + 1);
      if (v === INCOMPLETE) return INCOMPLETE;
      out[i] = v;
    }
    return out;
  }

  /** An inline command: one line split on spaces and tabs (no quoting); an empty line is skipped. */
  #inline(): Parsed {
    const buf = this.#buf;
    const nl = buf.indexOf(LF, this.#pos);
    if (nl < 0) {
      if (buf.length - this.#pos > MAX_INLINE_BYTES) throw new RespProtocolError('too big inline request');
      return INCOMPLETE;
    }
    const end = nl > this.#pos && buf[nl - 1] === CR ? nl - 1 : nl;
    const args: Buffer[] = [];
    let i = this.#pos;
    while (i < end) {
      while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
      const s = i;
      while (i < end && buf[i] !== 0x20 && buf[i] !== 0x09) i++;
      if (i > s) args.push(buf.subarray(s, i));
    }
    this.#pos = nl + 1;
    return args.length === 0 ? SKIP : args;
  }
}

const EMPTY = Buffer.alloc(0);
/** An empty inline line: consumed, nothing to deliver. */
const SKIP: RespValue[] = [];
