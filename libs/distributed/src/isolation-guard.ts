import { BackgroundLoop, type Timers } from '@hypercache/loops';

/** Collaborators of {@link IsolationGuard}. */
export interface IsolationGuardDeps {
  /** Epoch ms. */
  now: () => number;
  /** True while this node sees a majority of the cluster's known members alive (the F1 view). */
  hasMajority: () => boolean;
  /** Drops every local item, tombstone and hint; `isolatedMs` = how long the node had no majority. */
  drop: (isolatedMs: number) => void;
  /** Timers of the watch loop (default: Node's, unref()'d). */
  timers?: Timers;
  onError?: (err: unknown) => void;
}

/**
 * Tombstone expiry without resurrection (docs/decisions.md D19). A node that kept a copy across a
 * delete it never received — it was cut off from the majority, paused, or its VM frozen — could
 * hand that copy back once the others have purged their tombstone (anti-entropy and read repair
 * take any stamp that is newer than nothing). So a node that has been without a majority of the
 * cluster for longer than `limitMs` (half the tombstone TTL) drops its local data before it serves
 * or ships any of it, and comes back like a new, empty node that anti-entropy refills.
 *
 * {@link check} is called by the data path before it reads or ships local data, so a node that
 * resumes from a pause drops its data before its first answer (its timers may run after the first
 * request); the watch loop records when a majority was last seen and drops the data of a node
 * that is still cut off. Half the TTL leaves room for the time this node needs to notice it lost
 * the majority (suspicion) and for one watch period.
 */
export class IsolationGuard {
  readonly #d: IsolationGuardDeps;
  readonly #limitMs: number;
  readonly #loop: BackgroundLoop;
  /** Undefined until the first majority: a booting node holds nothing a delete could have missed. */
  #lastMajorityMs: number | undefined;

  /** @param limitMs longest time without a majority before local data is dropped (ms, > 0). */
  constructor(deps: IsolationGuardDeps, limitMs: number) {
    if (!Number.isSafeInteger(limitMs) || limitMs <= 0) throw new TypeError(`limitMs must be a positive integer, got ${limitMs}`);
    this.#d = deps;
    this.#limitMs = limitMs;
    this.#loop = new BackgroundLoop({
      name: 'isolation guard',
      delayMs: Math.max(1, Math.min(1_000, Math.floor(limitMs / 4))),
      tick: () => this.tick(),
      runAtStart: true,
      timers: deps.timers,
      onError: (e) => deps.onError?.(e),
    });
  }

  /** Longest time without a majority before local data is dropped (ms). */
  get limitMs(): number {
    return this.#limitMs;
  }

  /**
   * Starts the watch loop (idempotent). The guard arms at the first majority it sees: before that
   * the node is booting and holds only what it received since, nothing older than a tombstone.
   */
  start(): void {
    if (this.#loop.isRunning) return;
    this.#loop.start();
  }

  /** Stops the watch loop (idempotent). */
  stop(): void {
    this.#loop.stop();
  }

  /**
   * Drops the local data when the last majority is more than `limitMs` ago, then starts a new
   * period (a node still cut off drops again after another `limitMs`). Returns whether it dropped.
   */
  check(): boolean {
    if (this.#lastMajorityMs === undefined) return false;
    const now = this.#d.now();
    const isolatedMs = now - this.#lastMajorityMs;
    if (isolatedMs <= this.#limitMs) return false;
    this.#lastMajorityMs = now;
    this.#d.drop(isolatedMs);
    return true;
  }

  /** One watch step: {@link check} first (a resumed node's stale view still shows a majority), then note a majority. */
  tick(): void {
    this.check();
    if (this.#d.hasMajority()) this.#lastMajorityMs = this.#d.now();
  }
}
