import type { Socket } from 'node:net';
import { scopeMask } from '@hypercache/auth';
import { type CommandContext, type CommandSpec, type RespDeps, type RespServerStats, type RespSessionState } from './command-spec';
import { RespProtocolError } from './errors';
import { respCommandChannel, type RespCommandMessage } from './resp-channels';
import { errorReply } from './resp-errors-map';
import { RespParser, type ResolvedRespParserOptions, type RespValue } from './resp-parser';
import { ReplyWriter } from './reply-writer';

/** Per-connection limits (resolved by the server). */
export interface RespConnectionLimits {
  readonly parser: ResolvedRespParserOptions;
  /** Parsed commands waiting for their turn before reading pauses. */
  readonly maxQueuedCommands: number;
  /** Reply bytes queued on the socket before reading pauses (resumes on `drain`). */
  readonly maxPendingReplyBytes: number;
}

const MASK = { read: scopeMask(['read']), write: scopeMask(['write']), admin: scopeMask(['admin']) } as const;
/** Encoded replies flushed early once a batch grows past this. */
const FLUSH_BYTES = 64 * 1024;

function isCommand(v: RespValue): v is Buffer[] {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (const a of v) if (!Buffer.isBuffer(a)) return false;
  return true;
}

function unknownCommand(args: readonly Buffer[]): string {
  const shown = args
    .slice(1, 20)
    .map((a) => `'${a.toString('utf8', 0, 128)}'`)
    .join(' ');
  return `ERR unknown command '${args[0].toString('utf8', 0, 128)}', with args beginning with: ${shown}`;
}

/**
 * One RESP client connection: parses socket chunks, runs the commands strictly in order (a
 * command that waits on the cluster holds back the ones pipelined after it), writes the replies
 * in order with one socket write per parsed chunk, and bounds memory: the parser bounds the
 * input buffer, reading pauses while too many commands are queued or the socket is backpressured.
 * A command error is an error reply; only a protocol error closes the connection.
 */
export class RespConnection {
  readonly #socket: Socket;
  readonly #deps: RespDeps;
  readonly #limits: RespConnectionLimits;
  readonly #parser: RespParser;
  readonly #ctx: CommandContext;
  readonly #session: RespSessionState;
  readonly #onInternal: (e: unknown) => void;
  readonly #lookup: ReadonlyMap<string, CommandSpec>;
  #queue: RespValue[] = [];
  #head = 0;
  #busy = false;
  /** Name of the command being waited on (metrics). */
  #pending = '';
  #paused = false;
  #closed = false;
  readonly #onFrame = (v: RespValue) => {
    this.#queue.push(v);
  };
  readonly #resume = () => this.#pump();

  constructor(o: {
    socket: Socket;
    deps: RespDeps;
    id: number;
    stats: RespServerStats;
    table: ReadonlyMap<string, CommandSpec>;
    /** {@link buildCommandLookup} of `table`. */
    lookup: ReadonlyMap<string, CommandSpec>;
    limits: RespConnectionLimits;
    onInternal: (e: unknown) => void;
  }) {
    this.#lookup = o.lookup;
    this.#socket = o.socket;
    this.#deps = o.deps;
    this.#limits = o.limits;
    this.#onInternal = o.onInternal;
    this.#parser = new RespParser(o.limits.parser);
    const resolved = o.deps.auth.resolve(undefined, o.socket);
    this.#session = {
      id: o.id,
      // A verified client certificate (TLS) or anonymous mode authenticates at connect.
      identity: resolved instanceof Promise ? undefined : resolved,
      name: '',
      libName: '',
      libVersion: '',
      closing: false,
      remote: `${o.socket.remoteAddress ?? ''}:${o.socket.remotePort ?? 0}`,
    };
    this.#ctx = { deps: o.deps, w: new ReplyWriter(), session: this.#session, stats: o.stats, table: o.table };
    o.socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    o.socket.on('drain', this.#resume);
  }

  /** Ends the connection (server stop): pending replies are flushed first. */
  end(): void {
    this.#closed = true;
    this.#flush();
    this.#socket.end();
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    try {
      this.#parser.feed(chunk, this.#onFrame);
    } catch (e) {
      if (!(e instanceof RespProtocolError)) throw e;
      // Commands parsed before the bad frame still run and answer, then the error closes.
      this.#queue.push({ respError: e.message });
    }
    this.#pump();
  }

  #pump(): void {
    const w = this.#ctx.w;
    while (!this.#busy && !this.#closed && this.#head < this.#queue.length && !this.#congested()) {
      const v = this.#queue[this.#head];
      this.#queue[this.#head++] = null;
      // `*0` and `*-1` are no-ops (as Redis).
      if (v === null || (Array.isArray(v) && v.length === 0)) continue;
      if (!isCommand(v)) {
        this.#protocolError(v);
        break;
      }
      const r = this.#exec(v);
      if (r !== undefined) {
        this.#busy = true;
        r.then(this.#settled, this.#failed);
        break;
      }
      // Large replies to small commands: stop at the reply bound, go on at `drain`.
      if (w.length >= FLUSH_BYTES) this.#flush();
    }
    if (this.#head >= this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    if (!this.#busy || w.length >= FLUSH_BYTES) this.#flush();
    if (this.#session.closing && !this.#busy && !this.#closed) {
      this.#closed = true;
      this.#socket.end();
      return;
    }
    this.#backpressure();
  }

  /** True while more reply bytes than the bound wait on the socket. */
  #congested(): boolean {
    return this.#socket.writableLength > this.#limits.maxPendingReplyBytes;
  }

  #backpressure(): void {
    const queued = this.#queue.length - this.#head;
    const overloaded = queued > this.#limits.maxQueuedCommands || this.#congested();
    if (overloaded && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    } else if (!overloaded && this.#paused && !this.#closed) {
      this.#paused = false;
      this.#socket.resume();
    }
  }

  #flush(): void {
    const out = this.#ctx.w.take();
    if (out !== undefined && this.#socket.writable) this.#socket.write(out);
  }

  #protocolError(v: RespValue): void {
    const reason = v !== null && typeof v === 'object' && 'respError' in v ? v.respError : 'expected an array of bulk strings';
    this.#ctx.w.error(`ERR Protocol error: ${reason}`);
    this.#publish('protocol', 'ERR');
    this.#closed = true;
    this.#flush();
    this.#socket.end();
  }

  /** Runs one command; a promise when its reply waits on the cluster. */
  #exec(args: Buffer[]): Promise<void> | undefined {
    const ctx = this.#ctx;
    const w = ctx.w;
    w.lastError = undefined;
    ctx.stats.totalCommands++;
    const raw = args[0].toString('latin1');
    const spec = this.#lookup.get(raw) ?? ctx.table.get(raw.toLowerCase());
    if (spec === undefined) {
      w.error(unknownCommand(args));
      return this.#publish('unknown', w.lastError);
    }
    const denied = this.#admit(spec, args);
    if (denied !== undefined) {
      w.error(denied);
      return this.#publish(spec.name, w.lastError);
    }
    let r: void | Promise<void>;
    try {
      r = spec.run(ctx, args);
    } catch (e) {
      w.error(errorReply(e, this.#onInternal));
      return this.#publish(spec.name, w.lastError);
    }
    if (r === undefined) return this.#publish(spec.name, w.lastError);
    this.#pending = spec.name;
    return r;
  }

  /** The command waited on settled: publish it and go on with the queue. */
  readonly #settled = () => {
    this.#publish(this.#pending, this.#ctx.w.lastError);
    this.#busy = false;
    this.#pump();
  };

  readonly #failed = (e: unknown) => {
    this.#ctx.w.error(errorReply(e, this.#onInternal));
    this.#settled();
  };

  /** Arity, authentication, scope and drain checks; the error reply text when refused. */
  #admit(spec: CommandSpec, args: readonly Buffer[]): string | undefined {
    const n = args.length;
    if (spec.arity > 0 ? n !== spec.arity : n < -spec.arity) return `ERR wrong number of arguments for '${spec.name}' command`;
    const identity = this.#session.identity;
    if (identity === undefined) return spec.beforeAuth === true ? undefined : 'NOAUTH Authentication required.';
    if (spec.scope !== 'none' && (identity.mask & MASK[spec.scope]) === 0) {
      return `NOPERM User ${identity.id} has no permissions to run the '${spec.name}' command (needs the '${spec.scope}' scope)`;
    }
    if (spec.isWrite && this.#deps.state.isDraining) return 'DRAINING this node is draining: writes are refused, reads keep working';
    return undefined;
  }

  #publish(command: string, error: string | undefined): undefined {
    if (respCommandChannel.hasSubscribers) {
      const m: RespCommandMessage = { nodeId: this.#deps.data.nodeId, command, error };
      respCommandChannel.publish(m);
    }
    return undefined;
  }
}
