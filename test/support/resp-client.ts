import { connect, type Socket } from 'node:net';
import { RespParser, type RespValue } from '@hypercache/resp';
import { registerCleanup } from './cleanup';
import { until } from './until';

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** A RESP2 reply as tests compare it: strings for bulk / simple strings, `{ err }` for errors. */
export type Reply = string | number | null | { err: string } | Reply[];

function toReply(v: RespValue): Reply {
  if (v === null || typeof v === 'number') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return v.map(toReply);
  return { err: v.respError };
}

/**
 * A minimal RESP2 test client over a raw socket: replies are parsed with the RESP parser under
 * test's sibling (its fuzz spec pins it against redis-parser). `raw` also keeps every byte read,
 * for RESP3 and malformed-input checks. Closed after the test file.
 */
export class RespTestClient {
  readonly bytes: Buffer[] = [];
  readonly #replies: RespValue[] = [];
  readonly #parser = new RespParser({ maxBulkBytes: 64 * 1024 * 1024 });
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.bytes.push(chunk);
      try {
        this.#parser.feed(chunk, (v) => this.#replies.push(v));
      } catch {
        // RESP3 replies are read through `bytes`.
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  /** Connects to 127.0.0.1:`port`. */
  static async open(port: number): Promise<RespTestClient> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const c = new RespTestClient(socket);
    registerCleanup(() => void socket.destroy());
    return c;
  }

  /** Everything read so far, as latin1 text. */
  text(): string {
    return Buffer.concat(this.bytes).toString('latin1');
  }

  /** Sends raw bytes. */
  send(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Sends one command and resolves with its reply. */
  async call(...args: Array<string | Buffer>): Promise<Reply> {
    const [r] = await this.pipeline([args]);
    return r;
  }

  /** Sends every command in one write and resolves with their replies, in order. */
  async pipeline(commands: ReadonlyArray<ReadonlyArray<string | Buffer>>, timeoutMs = 30_000): Promise<Reply[]> {
    const start = this.#replies.length;
    this.socket.write(Buffer.concat(commands.map(encodeCommand)));
    await until(() => this.#replies.length >= start + commands.length || this.closed, timeoutMs);
    return this.#replies.splice(start, commands.length).map(toReply);
  }

  /** Raw bulk reply bytes of one command (byte-exact value checks). */
  async callRaw(...args: Array<string | Buffer>): Promise<RespValue> {
    const start = this.#replies.length;
    this.socket.write(encodeCommand(args));
    await until(() => this.#replies.length > start || this.closed);
    return this.#replies.splice(start, 1)[0];
  }
}
