import { BackgroundLoop, type Timers } from '@hypercache/loops';
import type { DistMetrics } from '@hypercache/distributed';
import type { MembershipTable, RingTopology } from '@hypercache/membership';
import { ClusterEventType, type ClusterEventBus } from './cluster-event-bus';
import { heartbeatView, membersView } from './cluster-views';

/** Options of {@link ClusterEventsPublisher}. */
export interface ClusterEventsPublisherOptions {
  readonly bus: ClusterEventBus;
  readonly membership: MembershipTable;
  readonly topology: RingTopology;
  readonly metrics: DistMetrics;
  /** Heartbeat event period, ms. Default 1000 (management-api.md §7). */
  readonly heartbeatIntervalMs?: number;
  /** Timers of the heartbeat loop (default: Node's, unref()'d); tests inject manual ones. */
  readonly timers?: Timers;
}

/**
 * Feeds the {@link ClusterEventBus} (management-api.md §7): a `members` event after every
 * state-changing membership mutation, and a `heartbeat` event every second while the node runs
 * (also on a single node). Builds payloads only when someone listens.
 */
export class ClusterEventsPublisher {
  readonly #o: ClusterEventsPublisherOptions;
  readonly #intervalMs: number;
  readonly #loop: BackgroundLoop;
  #unsubscribe: (() => void) | undefined;

  constructor(o: ClusterEventsPublisherOptions) {
    this.#o = o;
    this.#intervalMs = o.heartbeatIntervalMs ?? 1_000;
    if (!Number.isFinite(this.#intervalMs) || this.#intervalMs <= 0) {
      throw new TypeError(`heartbeatIntervalMs must be a positive number of ms, got ${this.#intervalMs}`);
    }
    const { bus, metrics } = o;
    this.#loop = new BackgroundLoop({
      name: 'cluster heartbeat events',
      delayMs: this.#intervalMs,
      timers: o.timers,
      tick: () => {
        if (bus.subscriberCount > 0) bus.publish(ClusterEventType.Heartbeat, heartbeatView(metrics));
      },
    });
  }

  /** Starts the heartbeat ticker and follows membership (idempotent). */
  start(): void {
    if (this.#loop.isRunning) return;
    const { bus, membership, topology } = this.#o;
    this.#unsubscribe = membership.onChange(() => {
      if (bus.subscriberCount > 0) bus.publish(ClusterEventType.Members, membersView(topology, membership));
    });
    this.#loop.start();
  }

  /** Stops publishing (idempotent). */
  stop(): void {
    this.#loop.stop();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
