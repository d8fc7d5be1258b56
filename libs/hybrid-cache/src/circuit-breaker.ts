import type { BreakerState } from './events';
import type { Timers } from './timers';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker; 0 = disabled (never opens). */
  threshold: number;
  /** How long the breaker stays open before letting a trial call through, in ms. */
  openDurationMs: number;
  timers: Timers;
  /** Called on every transition (closed → open, open → half-open, half-open → closed/open). */
  onStateChange?: (state: BreakerState, previous: BreakerState) => void;
}

/**
 * Consecutive-failure circuit breaker (§8). Closed: failures count up, any success resets; the
 * threshold opens it. Open: `allow()` is false until `openDurationMs` passed, then the breaker is
 * half-open and lets calls through; a success closes it, a failure re-opens it. Unlike upstream,
 * every transition is reported (TS SHOULD, §8).
 */
export class CircuitBreaker {
  readonly #o: CircuitBreakerOptions;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;

  constructor(o: CircuitBreakerOptions) {
    this.#o = o;
  }

  /** Current state (open turns half-open lazily, on the next `allow`). */
  get state(): BreakerState {
    return this.#state;
  }

  /** Whether a call may go through now. */
  allow(): boolean {
    if (this.#state !== 'open') return true;
    if (this.#o.timers.now() - this.#openedAt < this.#o.openDurationMs) return false;
    this.#move('half-open');
    return true;
  }

  /** Records a successful call. */
  success(): void {
    this.#failures = 0;
    if (this.#state !== 'closed') this.#move('closed');
  }

  /** Records a failed call. */
  failure(): void {
    if (this.#o.threshold <= 0) return;
    if (this.#state === 'half-open') {
      this.#open();
      return;
    }
    if (this.#state === 'closed' && ++this.#failures >= this.#o.threshold) this.#open();
  }

  #open(): void {
    this.#openedAt = this.#o.timers.now();
    this.#failures = 0;
    this.#move('open');
  }

  #move(state: BreakerState): void {
    const previous = this.#state;
    this.#state = state;
    this.#o.onStateChange?.(state, previous);
  }
}
