import { randomBytes } from 'node:crypto';
import { BackplaneMessageType, decodeBackplaneMessage, encodeBackplaneMessage, type Backplane, type BackplaneMessage, type BackplaneSubscriber } from '@hypercache/hybrid-cache';
import type { ClusterEvents, ClusterEventsOptions } from '../cluster-events';
import type { HypercacheClient } from '../hypercache-client';
import type { KeyChange } from '../node-event-stream';

/** Options of {@link ClusterBackplane}. */
export interface ClusterBackplaneOptions {
  /** The hybrid cache's `cacheName` (messages are scoped by it). Default `'default'`. */
  readonly cacheName?: string;
  /** The {@link ClusterL2} `keyPrefix`: cluster keys outside it are ignored, inside it are stripped. Default `''`. */
  readonly keyPrefix?: string;
  /** Where published messages are written (cluster keys, short TTL). Default `'__hc_bp/'`. */
  readonly messageNamespace?: string;
  /** TTL of a published message key in ms. Default 60 000. */
  readonly messageTtlMs?: number;
  /**
   * Also publish Set/Delete/Expire through the cluster. Default false: the L2 write itself puts a
   * change on every owner's `/v1/events` stream, which every subscriber turns into the message.
   */
  readonly publishKeyMessages?: boolean;
  /** Options of the event streams. */
  readonly events?: ClusterEventsOptions;
}

/** The sender id of messages made from cluster key changes (never equal to a cache's node id). */
export const CLUSTER_SOURCE_ID = 'hypercache-cluster';

/**
 * A `@hypercache/hybrid-cache` backplane over the cluster (hybrid-cache.md §9, issue 17):
 * - every change of a key under `keyPrefix` on `/v1/events` becomes a `Set`/`Delete`/`Expire`
 *   message for the key without the prefix (a cluster `clear` becomes `Clear`);
 * - messages that are not key changes (`Clear`, tag invalidations) are written as a cluster key
 *   `<keyPrefix><messageNamespace><cacheName>/<sourceId>/<seq>` (TTL `messageTtlMs`); each
 *   subscriber sees its `set` event, reads the key and delivers the decoded message, in order;
 * - a lost stream (disconnect, `reset`, sequence gap, silence) calls `onReconnect` at once and
 *   again when every stream is back, so the cache drops its L1 (decisions N5).
 */
export class ClusterBackplane implements Backplane {
  readonly #client: HypercacheClient;
  readonly #cacheName: string;
  readonly #prefix: string;
  readonly #msgPrefix: string;
  readonly #ttlMs: number;
  readonly #publishKeys: boolean;
  readonly #eventOptions: ClusterEventsOptions | undefined;
  readonly #subs = new Set<BackplaneSubscriber>();
  readonly #sourceId = randomBytes(8).toString('hex');
  #events: ClusterEvents | undefined;
  #seq = 0;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(client: HypercacheClient, o: ClusterBackplaneOptions = {}) {
    this.#client = client;
    this.#cacheName = o.cacheName ?? 'default';
    this.#prefix = o.keyPrefix ?? '';
    this.#msgPrefix = this.#prefix + (o.messageNamespace ?? '__hc_bp/');
    this.#ttlMs = o.messageTtlMs ?? 60_000;
    this.#publishKeys = o.publishKeyMessages ?? false;
    this.#eventOptions = o.events;
  }

  /** The event streams (open after the first {@link subscribe}). */
  get events(): ClusterEvents | undefined {
    return this.#events;
  }

  /** True while every member's stream is connected: a near-cache may serve from L1 only then. */
  get healthy(): boolean {
    return this.#events?.healthy ?? false;
  }

  async publish(message: BackplaneMessage, signal?: AbortSignal): Promise<void> {
    const m = { ...message, sourceId: message.sourceId || this.#sourceId };
    const keyMessage = m.type === BackplaneMessageType.Set || m.type === BackplaneMessageType.Delete || m.type === BackplaneMessageType.Expire;
    if (keyMessage && !this.#publishKeys) return;
    const key = `${this.#msgPrefix}${m.cacheName}/${m.sourceId}/${String(++this.#seq).padStart(12, '0')}`;
    await this.#client.put(key, encodeBackplaneMessage(m), { ttlMs: this.#ttlMs, signal });
  }

  async subscribe(subscriber: BackplaneSubscriber): Promise<() => void> {
    this.#subs.add(subscriber);
    if (this.#events === undefined) {
      const ev = this.#client.events(this.#eventOptions);
      this.#events = ev;
      ev.on('change', (c) => this.#change(c));
      ev.on('lost', ({ node, reason }) => this.#reconnect(`event stream of ${node} lost (${reason})`));
      ev.on('health', (h) => h && this.#reconnect('every event stream is back'));
      await ev.start();
    }
    return () => this.#subs.delete(subscriber);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#subs.clear();
    await this.#events?.close();
    await this.#chain;
  }

  #change(c: KeyChange): void {
    if (c.type === 'clear') {
      this.#deliver({ type: BackplaneMessageType.Clear, cacheName: this.#cacheName, key: '', sourceId: CLUSTER_SOURCE_ID, timestamp: Date.now(), seq: 0 });
      return;
    }
    const key = c.key;
    if (key === undefined || !key.startsWith(this.#prefix)) return;
    if (key.startsWith(this.#msgPrefix)) {
      if (c.type === 'set') this.#fetchMessage(key);
      return;
    }
    const type = c.type === 'set' ? BackplaneMessageType.Set : c.type === 'expire' ? BackplaneMessageType.Expire : BackplaneMessageType.Delete;
    // seq 0 from one fixed sender: the cache's gap check never fires on these (the streams do it).
    this.#deliver({ type, cacheName: this.#cacheName, key: key.slice(this.#prefix.length), sourceId: CLUSTER_SOURCE_ID, timestamp: Date.now(), seq: 0 });
  }

  /** Reads a published message; chained so one sender's messages are delivered in order. */
  #fetchMessage(key: string): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#closed) return;
      try {
        const raw = await this.#client.get(key);
        const m = raw === null ? undefined : decodeBackplaneMessage(raw);
        if (m !== undefined) this.#deliver(m);
        else this.#reconnect(`published message ${key} is gone`);
      } catch {
        this.#reconnect(`published message ${key} could not be read`);
      }
    });
  }

  #deliver(m: BackplaneMessage): void {
    for (const s of this.#subs) s.onMessage(m);
  }

  #reconnect(reason: string): void {
    if (this.#closed) return;
    for (const s of this.#subs) s.onReconnect?.(reason);
  }
}
