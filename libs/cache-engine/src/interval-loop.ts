/**
 * A background loop: calls `onTick` every `intervalMs` on an `unref()`'d timer, owned by an
 * AbortController (STYLE.md hot path rules). `start` and `stop` are idempotent.
 */
export class IntervalLoop {
  readonly #intervalMs: number;
  readonly #onTick: () => void;
  #controller: AbortController | undefined;

  /** @param intervalMs period in ms (> 0, ≤ 2^31 − 1). */
  constructor(intervalMs: number, onTick: () => void) {
    this.#intervalMs = intervalMs;
    this.#onTick = onTick;
  }

  get isRunning(): boolean {
    return this.#controller !== undefined;
  }

  start(): void {
    if (this.#controller !== undefined) return;
    const controller = new AbortController();
    this.#controller = controller;
    const timer = setInterval(() => {
      if (!controller.signal.aborted) this.#onTick();
    }, this.#intervalMs);
    timer.unref();
    controller.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }

  stop(): void {
    this.#controller?.abort();
    this.#controller = undefined;
  }
}
