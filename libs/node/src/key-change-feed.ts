import type { HyperCache } from '@hypercache/cache-engine';
import type { DistributedCache, LocalChangeKind } from '@hypercache/distributed';
import { BackgroundLoop, type Timers } from '@hypercache/loops';
import type { EventJournal } from './event-journal';

/** Event names of `GET /v1/events` (issue 17). */
export const KeyChangeType = {
  Set: 'set',
  Delete: 'delete',
  Expire: 'expire',
  Clear: 'clear',
  Heartbeat: 'heartbeat',
} as const;
/** Union of the values of {@link KeyChangeType}. */
export type KeyChangeType = (typeof KeyChangeType)[keyof typeof KeyChangeType];

/** Options of {@link KeyChangeFeed}. */
export interface KeyChangeFeedOptions {
  readonly nodeId: string;
  /** The `/v1/events` journal. */
  readonly journal: EventJournal;
  /** Item writes and tombstones applied to this node's store. */
  readonly dist: Pick<DistributedCache, 'onLocalChange'>;
  /** Expirations (sweep) and clears of this node's engine. */
  readonly engine: Pick<HyperCache<Buffer>, 'onExpire' | 'onClear'>;
  /** The current ring version (`GET /v1/topology`), sent in every heartbeat; omitted when not given. */
  readonly ringVersion?: () => string;
  /** `event: heartbeat` period, ms (`HYPERCACHE_EVENTS_HEARTBEAT`). Default 5000. */
  readonly heartbeatMs?: number;
  /** Timers of the heartbeat loop (default Node's, unref()'d); tests inject manual ones. */
  readonly timers?: Timers;
}

/**
 * Feeds the `GET /v1/events` journal with this node's LOCAL store changes (issue 17,
 * docs/decisions.md T3–T5): every item write and delete the distributed layer applies here — as
 * coordinator, replica, repair, hint or migration — as `set` / `delete` with the item's (or
 * tombstone's) version and origin, every item the engine's sweep expires as `expire`, and every
 * clear as `clear`. Payloads are built only while the journal records (someone subscribes);
 * otherwise a change costs a boolean check and a counter increment. Sends `event: heartbeat`
 * `{node, lastId, ringVersion}` to the subscribers every `heartbeatMs` (a client sees a ring change
 * within one heartbeat and reloads `GET /v1/topology`).
 */
export class KeyChangeFeed {
  readonly #o: KeyChangeFeedOptions;
  readonly #loop: BackgroundLoop;
  #unsubscribe: Array<() => void> = [];

  constructor(o: KeyChangeFeedOptions) {
    const heartbeatMs = o.heartbeatMs ?? 5_000;
    if (!Number.isFinite(heartbeatMs) || heartbeatMs <= 0) throw new TypeError(`heartbeatMs must be a positive number of ms, got ${heartbeatMs}`);
    this.#o = o;
    const { journal, nodeId } = o;
    this.#loop = new BackgroundLoop({
      name: 'key change heartbeat',
      delayMs: heartbeatMs,
      timers: o.timers,
      tick: () => {
        if (journal.subscriberCount === 0) return;
        const ringVersion = o.ringVersion?.();
        const beat = ringVersion === undefined ? { node: nodeId, lastId: journal.lastId } : { node: nodeId, lastId: journal.lastId, ringVersion };
        journal.broadcast(KeyChangeType.Heartbeat, JSON.stringify(beat));
      },
    });
  }

  /** Follows the store's changes and starts the heartbeat (idempotent). */
  start(): void {
    if (this.#loop.isRunning) return;
    const { journal, nodeId, dist, engine } = this.#o;
    const change = (kind: LocalChangeKind | 'expire', key: string, version: number, origin: string): void => {
      if (!journal.isRecording) return journal.skip();
      journal.publish(kind, JSON.stringify({ key, version, origin, node: nodeId }));
    };
    this.#unsubscribe = [
      dist.onLocalChange(change),
      engine.onExpire((key, version, origin) => change(KeyChangeType.Expire, key, version, origin)),
      engine.onClear(() => {
        if (!journal.isRecording) return journal.skip();
        journal.publish(KeyChangeType.Clear, JSON.stringify({ origin: nodeId, node: nodeId }));
      }),
    ];
    this.#loop.start();
  }

  /** Stops following and the heartbeat (idempotent); the journal stays as it is. */
  stop(): void {
    this.#loop.stop();
    for (const u of this.#unsubscribe) u();
    this.#unsubscribe = [];
  }
}
