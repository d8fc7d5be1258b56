import { randomBytes } from 'node:crypto';
import { InvalidOptionError, OperationTimeoutError } from '../errors';
import { isCluster, type RedisLikeClient } from '../l2/redis-client';
import { decodeBackplaneMessage, encodeBackplaneMessage, type Backplane, type BackplaneMessage, type BackplaneSubscriber } from './backplane';

/** Options of {@link RedisBackplane}. */
export interface RedisBackplaneOptions {
  /** Publishing client (ioredis `Redis` or `Cluster`), owned by the application. */
  client: RedisLikeClient;
  /** Subscribing client; default `client.duplicate()` (owned and closed by the backplane). */
  subscriber?: RedisLikeClient;
  /** Channel. Default `'cache:backplane'` (§9). */
  channel?: string;
  /** Max wait for the subscription confirmation in ms. Default 5 000 (§9). */
  subscribeTimeoutMs?: number;
  /** Filled into messages with an empty `sourceId`. Default random. */
  nodeId?: string;
}

/**
 * Redis pub/sub backplane (§9), single node or Cluster (published through one master, so a sender's
 * messages stay in order). Publishing fails at once while the client is
 * not connected (the cache queues and retries); after the subscriber reconnects (and has re-subscribed)
 * every subscriber is told to resync, since messages published meanwhile are lost.
 */
export class RedisBackplane implements Backplane {
  readonly #client: RedisLikeClient;
  readonly #ownSubscriber: boolean;
  readonly #channel: string;
  readonly #timeoutMs: number;
  readonly #subscribers = new Set<BackplaneSubscriber>();
  readonly nodeId: string;
  #sub: RedisLikeClient | undefined;
  #subscribed: Promise<void> | undefined;
  #everReady = false;
  #closed = false;

  constructor(o: RedisBackplaneOptions) {
    if (o?.client === undefined) throw new InvalidOptionError('client', o?.client, 'must be an ioredis client');
    this.#client = o.client;
    this.#sub = o.subscriber;
    this.#ownSubscriber = o.subscriber === undefined;
    this.#channel = o.channel ?? 'cache:backplane';
    this.#timeoutMs = o.subscribeTimeoutMs ?? 5_000;
    this.nodeId = o.nodeId ?? randomBytes(16).toString('hex');
  }

  async publish(message: BackplaneMessage): Promise<void> {
    const status = this.#client.status;
    if (status !== undefined && status !== 'ready') throw new Error(`redis backplane not connected (${status})`);
    const m = message.sourceId === '' ? { ...message, sourceId: this.nodeId } : message;
    await this.#publisher().publish(this.#channel, encodeBackplaneMessage(m));
  }

  /**
   * On a Cluster, ioredis sends each keyless PUBLISH to any node and the cluster bus may then
   * deliver two messages of one sender out of order; publishing through one master (the first
   * ready one by address) keeps a sender's messages in order.
   */
  #publisher(): RedisLikeClient {
    if (!isCluster(this.#client)) return this.#client;
    const masters = this.#client.nodes!('master').filter((n) => n.status === undefined || n.status === 'ready');
    if (masters.length === 0) return this.#client;
    return masters.sort((x, y) => addressOf(x).localeCompare(addressOf(y)))[0]!;
  }

  async subscribe(subscriber: BackplaneSubscriber): Promise<() => void> {
    this.#subscribers.add(subscriber);
    await (this.#subscribed ??= this.#start());
    return () => this.#subscribers.delete(subscriber);
  }

  async #start(): Promise<void> {
    const sub = (this.#sub ??= this.#client.duplicate());
    sub.on('message', (channel: string, raw: string) => {
      if (channel !== this.#channel) return;
      const m = decodeBackplaneMessage(raw);
      if (m === undefined) return;
      for (const s of this.#subscribers) s.onMessage(m);
    });
    sub.on('ready', () => {
      if (!this.#everReady || this.#closed) return;
      // ioredis re-subscribes on ready; our own SUBSCRIBE is answered after it, so once it resolves
      // the subscription is live again and anything published before may have been missed.
      sub.subscribe(this.#channel).then(
        () => {
          for (const s of this.#subscribers) s.onReconnect?.('redis reconnect');
        },
        () => undefined,
      );
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OperationTimeoutError('backplane subscribe', this.#timeoutMs)), this.#timeoutMs);
    });
    try {
      await Promise.race([whenReady(sub).then(() => sub.subscribe(this.#channel)), timeout]);
      this.#everReady = true;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#subscribers.clear();
    const sub = this.#sub;
    if (sub === undefined) return;
    if (this.#ownSubscriber) {
      sub.disconnect();
    } else {
      await sub.unsubscribe(this.#channel).catch(() => undefined);
    }
  }
}

/** Resolves once an ioredis client is connected (at once for clients without a status). */
function whenReady(client: RedisLikeClient): Promise<void> {
  if (client.status === undefined || client.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const onReady = (): void => {
      client.off?.('ready', onReady);
      resolve();
    };
    client.on('ready', onReady);
  });
}

function addressOf(node: RedisLikeClient): string {
  const o = (node as { options?: { host?: string; port?: number } }).options;
  return `${o?.host ?? ''}:${String(o?.port ?? 0).padStart(5, '0')}`;
}
