/** Types of the `/cluster/events` stream (management-api.md §7). */
export const ClusterEventType = { Members: 'members', Heartbeat: 'heartbeat' } as const;
/** Union of the values of {@link ClusterEventType}. */
export type ClusterEventType = (typeof ClusterEventType)[keyof typeof ClusterEventType];

/** One event: its type and its JSON payload, serialized once for every subscriber. */
export interface ClusterEvent {
  readonly type: ClusterEventType;
  readonly json: string;
}

/** Per-subscriber buffer, in events (management-api.md §7). */
export const SUBSCRIBER_BUFFER = 16;

/** A subscriber's end of the bus. */
export interface ClusterEventSubscription {
  /** Removes and returns the buffered events, oldest first. */
  take(): ClusterEvent[];
  /** Events dropped because the buffer was full. */
  readonly dropped: number;
  /** Unsubscribes (idempotent); pending events are discarded. */
  close(): void;
}

interface Subscriber {
  readonly capacity: number;
  queue: ClusterEvent[];
  dropped: number;
  notify: () => void;
  onClose: () => void;
}

/**
 * The in-process topology event bus behind `GET /cluster/events`. Publishing never blocks: each
 * subscriber has a bounded buffer ({@link SUBSCRIBER_BUFFER}) that its stream drains as fast as
 * its socket accepts; when the buffer is full, new events for that subscriber are dropped.
 */
export class ClusterEventBus {
  readonly #subscribers = new Set<Subscriber>();
  #closed = false;

  /** Number of live subscribers (publishers skip building payloads when 0). */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /**
   * Subscribes. `notify` runs synchronously after an event was buffered for this subscriber;
   * `onClose` runs once when the bus closes (server shutdown) or the subscription is closed.
   * `capacity` is the buffer size in events (default {@link SUBSCRIBER_BUFFER}).
   */
  subscribe(notify: () => void, onClose: () => void = () => undefined, capacity = SUBSCRIBER_BUFFER): ClusterEventSubscription {
    const sub: Subscriber = { capacity, queue: [], dropped: 0, notify, onClose };
    const close = () => {
      if (!this.#subscribers.delete(sub)) return;
      sub.queue = [];
      sub.onClose();
    };
    if (this.#closed) queueMicrotask(onClose);
    else this.#subscribers.add(sub);
    return {
      take: () => sub.queue.splice(0),
      get dropped() {
        return sub.dropped;
      },
      close,
    };
  }

  /** Buffers `data` (serialized once) for every subscriber; full buffers drop it. */
  publish(type: ClusterEventType, data: unknown): void {
    if (this.#subscribers.size === 0) return;
    const event: ClusterEvent = { type, json: JSON.stringify(data) };
    for (const sub of this.#subscribers) {
      if (sub.queue.length >= sub.capacity) {
        sub.dropped++;
        continue;
      }
      sub.queue.push(event);
      sub.notify();
    }
  }

  /** Ends every subscription (server shutdown ends the SSE streams); later subscribers end at once. */
  close(): void {
    this.#closed = true;
    for (const sub of [...this.#subscribers]) {
      this.#subscribers.delete(sub);
      sub.queue = [];
      sub.onClose();
    }
  }
}
