import { PeerNotFoundError, PeerStatusError, PeerUnreachableError, TransportClosedError, TransportErrorCode } from './errors';
import type { InProcessPeerRegistry } from './in-process-peer-registry';
import type { PeerHandler } from './peer-handler';
import { PeerOp, type PeerAddress, type PeerTransport } from './peer-transport';
import {
  checkKey,
  decodeGetResponse,
  decodeRemoveQuery,
  decodeSetRequest,
  encodeGetResponse,
  encodeRemoveQuery,
  encodeSetRequest,
  type WireItem,
} from './wire';

/** Options of {@link InProcessTransport}. */
export interface InProcessTransportOptions {
  /** Clock in epoch ms stamping received items (`lastUpdatedMs`, §4). Default `Date.now`. */
  now?: () => number;
}

/**
 * A {@link PeerTransport} that calls the {@link PeerHandler} registered for the peer's address in
 * an {@link InProcessPeerRegistry}: fast, deterministic cluster tests without sockets. Every
 * payload goes through the real wire codecs and JSON (so items are copied, validated, keys must be
 * well-formed, `lastUpdatedMs` is receiver-stamped, TTLs cross as ns) and errors follow the HTTP
 * transport's contract: unknown address → {@link PeerUnreachableError}; handler errors →
 * {@link PeerStatusError}/{@link PeerNotFoundError} (see {@link PeerHandler}). Handlers always run
 * asynchronously (after a microtask), never inside the caller's synchronous frame.
 */
export class InProcessTransport implements PeerTransport {
  readonly #registry: InProcessPeerRegistry;
  readonly #now: () => number;
  #isClosed = false;

  constructor(registry: InProcessPeerRegistry, options: InProcessTransportOptions = {}) {
    this.#registry = registry;
    this.#now = options.now ?? Date.now;
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Delivers a set request (§17.2) to the peer's handler. */
  async set(peer: PeerAddress, item: WireItem, replicate: boolean): Promise<void> {
    const json = JSON.stringify(encodeSetRequest(item, replicate));
    const handler = await this.#handlerOf(peer, PeerOp.Set);
    await this.#invoke(peer, PeerOp.Set, () => {
      const req = decodeSetRequest(JSON.parse(json), this.#now);
      return handler.handleSet(req.item, req.replicate);
    });
  }

  /** Asks the peer's handler for `key`; the answer crosses as a §17.2 get response. */
  async get(peer: PeerAddress, key: string): Promise<WireItem | undefined> {
    checkKey(key);
    const handler = await this.#handlerOf(peer, PeerOp.Get);
    const json = await this.#invoke(peer, PeerOp.Get, async () => JSON.stringify(encodeGetResponse(await handler.handleGet(key))));
    return decodeGetResponse(JSON.parse(json), this.#now);
  }

  /** Delivers a remove (§6) to the peer's handler; the arguments cross as a query string. */
  async remove(peer: PeerAddress, key: string, replicate: boolean, version?: number, origin?: string): Promise<void> {
    const query = encodeRemoveQuery({ key, replicate, version, origin });
    const handler = await this.#handlerOf(peer, PeerOp.Remove);
    await this.#invoke(peer, PeerOp.Remove, () => {
      const q = decodeRemoveQuery(Object.fromEntries(new URLSearchParams(query)));
      return handler.handleRemove(q.key, q.replicate, q.version, q.origin);
    });
  }

  /** Calls the peer's `handleHealth` (§13). */
  async health(peer: PeerAddress): Promise<void> {
    const handler = await this.#handlerOf(peer, PeerOp.Health);
    await this.#invoke(peer, PeerOp.Health, () => handler.handleHealth());
  }

  /** The peer's keys matching `q` (§12), copied. */
  async keys(peer: PeerAddress, q: string | undefined): Promise<string[]> {
    if (q) checkKey(q, 'q');
    const handler = await this.#handlerOf(peer, PeerOp.Keys);
    return this.#invoke(peer, PeerOp.Keys, async () => [...(await handler.handleKeys(q === '' ? undefined : q))]);
  }

  /** Marks the transport closed; later calls fail with `TransportClosedError`. Idempotent. */
  async close(): Promise<void> {
    this.#isClosed = true;
  }

  async #handlerOf(peer: PeerAddress, op: PeerOp): Promise<PeerHandler> {
    // Always yield once: a peer call is never synchronous, as over a socket.
    await undefined;
    if (this.#isClosed) throw new TransportClosedError(op);
    const handler = this.#registry.resolve(peer.address);
    if (!handler) throw new PeerUnreachableError(peer, op, false, `no listener at ${peer.address}`);
    return handler;
  }

  async #invoke<T>(peer: PeerAddress, op: PeerOp, fn: () => Promise<T> | T): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof PeerNotFoundError) throw new PeerNotFoundError(peer, op, e.body);
      if (e instanceof PeerStatusError) throw new PeerStatusError(peer, op, e.status, e.body);
      // What the listener's exception filter would answer: BAD_REQUEST → 400, anything else → 500.
      const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'INTERNAL';
      const message = e instanceof Error ? e.message : String(e);
      throw new PeerStatusError(peer, op, code === TransportErrorCode.BadRequest ? 400 : 500, { error: message, code });
    }
  }
}
