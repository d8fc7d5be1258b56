import type { EngineLogger } from './engine-logger';

/** A background job: synchronous (its result is ignored), or answering a promise the queue waits for (the async engine's passes do I/O). */
export type Job = () => unknown;

/**
 * The engine's "worker pool" (engine.md §8), simplified for Node: one serial FIFO of jobs drained
 * on `setImmediate`, so triggers return at once and sweeps never run inside the caller's stack.
 * Node runs one job at a time anyway, so N workers would add nothing. A job that answers a promise
 * (`AsyncHyperCache`'s passes over a Redis backend) holds the queue until it settles, so passes
 * never overlap and `idle` waits for them. After {@link JobQueue.close} new jobs are dropped
 * silently; close waits for queued jobs.
 */
export class JobQueue {
  readonly #jobs: Job[] = [];
  readonly #idleWaiters: Array<() => void> = [];
  readonly #log: EngineLogger;
  #scheduled = false;
  #closed = false;

  constructor(log: EngineLogger) {
    this.#log = log;
  }

  /** Whether {@link JobQueue.close} was called. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Jobs waiting to run. */
  get pending(): number {
    return this.#jobs.length;
  }

  /** Queues a job; `false` (dropped) after close. */
  enqueue(job: Job): boolean {
    if (this.#closed) return false;
    this.#jobs.push(job);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#drain);
    }
    return true;
  }

  /** Resolves once no job is queued or running. */
  idle(): Promise<void> {
    if (this.#jobs.length === 0 && !this.#scheduled) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops accepting jobs and waits for the queued ones (idempotent). */
  close(): Promise<void> {
    this.#closed = true;
    return this.idle();
  }

  readonly #drain = (): void => {
    // Jobs queued by a running job run in this same drain (FIFO).
    for (let job = this.#jobs.shift(); job !== undefined; job = this.#jobs.shift()) {
      let pending: unknown;
      try {
        pending = job();
      } catch (err) {
        this.#failed(err);
      }
      if (pending instanceof Promise) {
        // An async job: resume draining once it settled (still scheduled, so enqueue adds no drain).
        pending.catch(this.#failed).finally(this.#drain);
        return;
      }
    }
    this.#scheduled = false;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  };

  readonly #failed = (err: unknown): void => {
    this.#log.error({ err, op: 'background_job' }, 'background job failed');
  };
}
