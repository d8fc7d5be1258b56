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
}

/**
 * Feeds the {@link ClusterEventBus} (management-api.md §7): a `members` event after every
 * state-changing membership mutation, and a `heartbeat` event every second while the node runs
 * (also on a single node). Builds payloads only when someone listens.
 */
export class ClusterEventsPublisher {
  readonly #o: ClusterEventsPublisherOptions;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(o: ClusterEventsPublisherOptions) {
    this.#o = o;
    this.#intervalMs = o.heartbeatIntervalMs ?? 1_000;
    if (!Number.isFinite(this.#intervalMs) || this.#intervalMs <= 0) {
      throw new TypeError(`heartbeatIntervalMs must be a positive number of ms, got ${this.#intervalMs}`);
    }
  }

  /** Starts the heartbeat ticker and follows membership (idempotent). */
  start(): void {
    if (this.#timer) return;
    const { bus, membership, topology, metrics } = this.#o;
    this.#unsubscribe = membership.onChange(() => {
      if (bus.subscriberCount > 0) bus.publish(ClusterEventType.Members, membersView(topology, membership));
    });
    this.#timer = setInterval(() => {
      if (bus.subscriberCount > 0) bus.publish(ClusterEventType.Heartbeat, heartbeatView(metrics));
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops publishing (idempotent). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
