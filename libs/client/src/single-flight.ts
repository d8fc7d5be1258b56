/**
 * One run of an async task for all concurrent callers: while a run is in flight, {@link run}
 * returns its promise; the next call after it settles starts a new run. Used for the topology
 * refresh (every caller that saw a wrong owner or a dead node waits for the same refresh).
 */
export class SingleFlight<T> {
  #inFlight: Promise<T> | undefined;
  #runs = 0;

  constructor(readonly task: () => Promise<T>) {}

  /** Completed or running task invocations so far. */
  get runs(): number {
    return this.#runs;
  }

  /** Whether a run is in flight. */
  get isRunning(): boolean {
    return this.#inFlight !== undefined;
  }

  /** Joins the running task or starts one. */
  run(): Promise<T> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    this.#runs++;
    const p = (async () => {
      try {
        return await this.task();
      } finally {
        this.#inFlight = undefined;
      }
    })();
    this.#inFlight = p;
    return p;
  }
}
