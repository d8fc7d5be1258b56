import { BackgroundLoop, type Timers } from '@hypercache/loops';
import type { DistMetrics } from '@hypercache/distributed';
import type { MembershipTable, RingTopology } from '@hypercache/membership';
import { heartbeatView, membersView } from './cluster-views';
import type { EventJournal } from './event-journal';

/** Types of the `/cluster/events` stream (management-api.md §7). */
export const ClusterEventType = { Members: 'members', Heartbeat: 'heartbeat' } as const;
/** Union of the values of {@link ClusterEventType}. */
export type ClusterEventType = (typeof ClusterEventType)[keyof typeof ClusterEventType];

/** Options of {@link ClusterEventsPublisher}. */
export interface ClusterEventsPublisherOptions {
  /** The `/cluster/events` journal (its own sequence and buffer, issue 17). */
  readonly journal: EventJournal;
  readonly membership: MembershipTable;
  readonly topology: RingTopology;
  readonly metrics: DistMetrics;
  /** Heartbeat event period, ms. Default 1000 (management-api.md §7). */
  readonly heartbeatIntervalMs?: number;
  /** Timers of the heartbeat loop (default: Node's, unref()'d); tests inject manual ones. */
  readonly timers?: Timers;
}

/**
 * Feeds the `/cluster/events` {@link EventJournal} (management-api.md §7): a `members` event after
 * every state-changing membership mutation, and a `heartbeat` event every second while the node
 * runs (also on a single node). Both carry ids and are kept for `Last-Event-ID` resume (issue 17).
 * Builds payloads only while the journal records; a membership change nobody records still
 * advances the sequence (a later resume from before it resets), a heartbeat does not.
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
    const { journal, metrics } = o;
    this.#loop = new BackgroundLoop({
      name: 'cluster heartbeat events',
      delayMs: this.#intervalMs,
      timers: o.timers,
      tick: () => {
        if (journal.isRecording) journal.publish(ClusterEventType.Heartbeat, JSON.stringify(heartbeatView(metrics)));
      },
    });
  }

  /** Starts the heartbeat ticker and follows membership (idempotent). */
  start(): void {
    if (this.#loop.isRunning) return;
    const { journal, membership, topology } = this.#o;
    this.#unsubscribe = membership.onChange(() => {
      if (journal.isRecording) journal.publish(ClusterEventType.Members, JSON.stringify(membersView(topology, membership)));
      else journal.skip();
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
