import type { Timers } from '../timers';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/**
 * Test {@link Timers}: nothing runs until the test calls {@link advance} (or {@link runNext}), so
 * loop tests never sleep. Calls due at the same time run in scheduling order; a call scheduled while
 * advancing runs in the same `advance` when it falls due within it. `advance` also lets pending
 * promise callbacks run between timers (an async tick settles before the next one is due).
 */
export class ManualTimers implements Timers {
  #now = 0;
  #nextId = 1;
  #pending: Pending[] = [];

  /** Milliseconds advanced so far. */
  get now(): number {
    return this.#now;
  }

  /** Delays (ms from now) of the pending calls, soonest first. */
  get pendingDelays(): number[] {
    return this.#sorted().map((p) => p.at - this.#now);
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#pending.push({ id, at: this.#now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending = this.#pending.filter((p) => p.id !== handle);
  }

  /** Moves time forward by `ms`, running every call that falls due, in time order. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await settle();
      const next = this.#sorted()[0];
      if (next === undefined || next.at > end) break;
      this.#now = next.at;
      this.#pending = this.#pending.filter((p) => p !== next);
      next.fn();
    }
    this.#now = end;
    await settle();
  }

  /** Jumps to the soonest pending call and runs it (and everything due at that time); false when none. */
  async runNext(): Promise<boolean> {
    await settle();
    const next = this.#sorted()[0];
    if (next === undefined) return false;
    await this.advance(next.at - this.#now);
    return true;
  }

  #sorted(): Pending[] {
    return [...this.#pending].sort((a, b) => a.at - b.at || a.id - b.id);
  }
}

/** Lets queued promise callbacks run (several turns: chained `then`s and awaits). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((r) => setImmediate(r));
}
