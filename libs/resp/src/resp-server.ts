import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { CommandSpec, RespDeps, RespServerStats } from './command-spec';
import { buildCommandLookup, buildCommandTable } from './command-table';
import { RespConnection, type RespConnectionLimits } from './resp-connection';
import { resolveRespParserOptions } from './resp-parser';

/** Options of a {@link RespServer}. */
export interface RespServerOptions {
  /** Host to bind (undefined = every interface) and port (0 = ephemeral). */
  readonly host?: string;
  readonly port: number;
  /** TLS material: with it the listener speaks RESP over TLS (`redis-cli --tls`); `ca` = verify client certificates. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer; readonly ca?: Buffer };
  /** Connections beyond this get `-ERR max number of clients reached` (default 10 000, as Redis). */
  readonly maxClients?: number;
  /** Parsed commands queued per connection before reading pauses (default 1 024). */
  readonly maxQueuedCommands?: number;
  /** Reply bytes queued on a socket before reading pauses (default 4 MiB). */
  readonly maxPendingReplyBytes?: number;
  /** Largest array (command) length (default 1 048 576). */
  readonly maxArrayLength?: number;
  /** Deepest array nesting (default 8). */
  readonly maxDepth?: number;
  /** Called for unexpected handler errors (answered `-ERR internal error`). */
  readonly onInternalError?: (e: unknown) => void;
}

/** Defaults filled in, nonsense refused (naming the option). */
export function resolveRespServerOptions(deps: RespDeps, o: RespServerOptions): RespConnectionLimits & { maxClients: number } {
  const maxClients = o.maxClients ?? 10_000;
  const maxQueuedCommands = o.maxQueuedCommands ?? 1_024;
  const maxPendingReplyBytes = o.maxPendingReplyBytes ?? 4 * 1024 * 1024;
  for (const [name, v] of Object.entries({ maxClients, maxQueuedCommands, maxPendingReplyBytes, port: o.port })) {
    if (!Number.isSafeInteger(v) || v < (name === 'port' ? 0 : 1)) throw new TypeError(`${name} must be a ${name === 'port' ? 'non-negative' : 'positive'} integer, got ${v}`);
  }
  const parser = resolveRespParserOptions({ maxBulkBytes: deps.maxBulkBytes, maxArrayLength: o.maxArrayLength, maxDepth: o.maxDepth, inline: true });
  return { maxClients, maxQueuedCommands, maxPendingReplyBytes, parser };
}

/**
 * The RESP listener: a plain `node:net` (or `node:tls`) server over the node's data seam. One
 * {@link RespConnection} per client; {@link close} stops accepting, ends every connection after
 * its pending replies and destroys the stragglers at the deadline.
 */
export class RespServer {
  readonly #deps: RespDeps;
  readonly #o: RespServerOptions;
  readonly #limits: ReturnType<typeof resolveRespServerOptions>;
  readonly #table: ReadonlyMap<string, CommandSpec>;
  readonly #lookup: ReadonlyMap<string, CommandSpec>;
  readonly #server: Server;
  readonly #connections = new Map<Socket, RespConnection>();
  /** Counters shown by INFO (clients, stats, server port). */
  readonly stats: RespServerStats;
  #nextId = 1;

  constructor(deps: RespDeps, o: RespServerOptions) {
    this.#deps = deps;
    this.#o = o;
    this.stats = { connectedClients: 0, totalConnections: 0, totalCommands: 0, rejectedConnections: 0, startedAtMs: deps.clock(), port: 0 };
    this.#limits = resolveRespServerOptions(deps, o);
    this.#table = buildCommandTable();
    this.#lookup = buildCommandLookup(this.#table);
    const onSocket = (s: Socket) => this.#accept(s);
    this.#server =
      o.tls === undefined
        ? createTcpServer({ noDelay: true }, onSocket)
        : createTlsServer({ cert: o.tls.cert, key: o.tls.key, ca: o.tls.ca, requestCert: o.tls.ca !== undefined, rejectUnauthorized: o.tls.ca !== undefined }, onSocket);
    // A failed TLS handshake is the client's problem, never the node's.
    this.#server.on('tlsClientError', () => undefined);
  }

  /** The supported commands (COMMAND's table). */
  get commands(): ReadonlyMap<string, CommandSpec> {
    return this.#table;
  }

  /** Binds; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.#server.once('error', onError);
      this.#server.listen({ port: this.#o.port, host: this.#o.host }, () => {
        this.#server.off('error', onError);
        const a = this.#server.address();
        this.stats.port = typeof a === 'object' && a !== null ? a.port : this.#o.port;
        resolve(this.stats.port);
      });
    });
  }

  /** Stops accepting, ends every connection (replies so far are flushed), destroys the rest after `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const c of this.#connections.values()) c.end();
    const deadline = setTimeout(() => {
      for (const s of this.#connections.keys()) s.destroy();
    }, timeoutMs);
    deadline.unref();
    try {
      await closed;
    } finally {
      clearTimeout(deadline);
    }
  }

  #accept(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    if (this.#connections.size >= this.#limits.maxClients) {
      this.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    this.stats.totalConnections++;
    this.stats.connectedClients++;
    const conn = new RespConnection({
      socket,
      deps: this.#deps,
      id: this.#nextId++,
      stats: this.stats,
      table: this.#table,
      lookup: this.#lookup,
      limits: this.#limits,
      onInternal: this.#o.onInternalError ?? (() => undefined),
    });
    this.#connections.set(socket, conn);
    socket.once('close', () => {
      this.#connections.delete(socket);
      this.stats.connectedClients--;
    });
  }
}
