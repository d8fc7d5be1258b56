import { randomBytes } from 'node:crypto';
import type { Backplane, BackplaneMessage, BackplaneSubscriber } from './backplane';

/** Per-subscriber buffer (§9: 64, drops when full; a drop is reported as a reconnect). */
const BUFFER = 64;

class Subscription {
  readonly queue: BackplaneMessage[] = [];
  dropped = false;
  scheduled = false;
  constructor(
    readonly owner: MemoryBackplane,
    readonly subscriber: BackplaneSubscriber,
  ) {}
}

/**
 * Connects in-memory backplanes of one process (§9 "optional hub"): what one publishes reaches
 * every subscription of every backplane of the hub, asynchronously (never on the publisher's stack).
 */
export class MemoryBackplaneHub {
  readonly #subs = new Set<Subscription>();

  /** A new backplane attached to this hub (one per cache instance). */
  connect(nodeId?: string): MemoryBackplane {
    return new MemoryBackplane(this, nodeId);
  }

  /** @internal */
  add(s: Subscription): void {
    this.#subs.add(s);
  }

  /** @internal */
  remove(s: Subscription): void {
    this.#subs.delete(s);
  }

  /** @internal */
  broadcast(m: BackplaneMessage): void {
    for (const s of this.#subs) {
      if (!s.owner.isConnected) continue;
      if (s.queue.length >= BUFFER) {
        s.dropped = true;
        continue;
      }
      s.queue.push({ ...m });
      if (!s.scheduled) {
        s.scheduled = true;
        setImmediate(() => drain(s));
      }
    }
  }
}

function drain(s: Subscription): void {
  s.scheduled = false;
  const batch = s.queue.splice(0);
  for (const m of batch) s.subscriber.onMessage(m);
  if (s.dropped) {
    s.dropped = false;
    s.subscriber.onReconnect?.('buffer overflow');
  }
}

/**
 * In-memory backplane (§9). `disconnect()` / `reconnect()` simulate an outage: while disconnected,
 * publishes fail and incoming messages are lost; `reconnect()` tells the subscribers to resync.
 */
export class MemoryBackplane implements Backplane {
  readonly #hub: MemoryBackplaneHub;
  readonly #subs = new Set<Subscription>();
  readonly nodeId: string;
  #connected = true;

  constructor(hub: MemoryBackplaneHub = new MemoryBackplaneHub(), nodeId?: string) {
    this.#hub = hub;
    this.nodeId = nodeId ?? randomBytes(16).toString('hex');
  }

  /** Whether messages flow (see {@link disconnect}). */
  get isConnected(): boolean {
    return this.#connected;
  }

  async publish(message: BackplaneMessage): Promise<void> {
    if (!this.#connected) throw new Error('backplane disconnected');
    this.#hub.broadcast(message.sourceId === '' ? { ...message, sourceId: this.nodeId } : message);
  }

  async subscribe(subscriber: BackplaneSubscriber): Promise<() => void> {
    const s = new Subscription(this, subscriber);
    this.#subs.add(s);
    this.#hub.add(s);
    return () => {
      this.#subs.delete(s);
      this.#hub.remove(s);
    };
  }

  /** Simulates a lost connection. */
  disconnect(): void {
    this.#connected = false;
  }

  /** Restores the connection and notifies every subscriber that messages may have been missed. */
  reconnect(): void {
    this.#connected = true;
    for (const s of this.#subs) setImmediate(() => s.subscriber.onReconnect?.('reconnect'));
  }

  async close(): Promise<void> {
    for (const s of this.#subs) this.#hub.remove(s);
    this.#subs.clear();
  }
}
