import type { BackplaneMessageType } from './backplane/backplane';

/** The event types of the hybrid cache (§10). */
export const CacheEventType = {
  CacheHit: 'CacheHit',
  CacheMiss: 'CacheMiss',
  FactoryCall: 'FactoryCall',
  FactorySuccess: 'FactorySuccess',
  FactoryError: 'FactoryError',
  SoftTimeoutActivated: 'SoftTimeoutActivated',
  HardTimeoutActivated: 'HardTimeoutActivated',
  FailSafeActivated: 'FailSafeActivated',
  EagerRefreshStarted: 'EagerRefreshStarted',
  EagerRefreshComplete: 'EagerRefreshComplete',
  L2Hit: 'L2Hit',
  L2Miss: 'L2Miss',
  L2Error: 'L2Error',
  L2CircuitBreakerStateChange: 'L2CircuitBreakerStateChange',
  BackplaneCircuitBreakerStateChange: 'BackplaneCircuitBreakerStateChange',
  BackplaneSent: 'BackplaneSent',
  BackplaneReceived: 'BackplaneReceived',
  BackplaneReconnected: 'BackplaneReconnected',
} as const;
/** One of {@link CacheEventType}. */
export type CacheEventType = (typeof CacheEventType)[keyof typeof CacheEventType];

/** An event with its payload (§10). `key` is the caller's key (without the cache's prefix). */
export type CacheEvent =
  | { type: 'CacheHit'; key: string; isStale: boolean }
  | { type: 'CacheMiss'; key: string }
  | { type: 'FactoryCall'; key: string }
  | { type: 'FactorySuccess'; key: string; shared: boolean }
  | { type: 'FactoryError'; key: string; err: unknown }
  | { type: 'SoftTimeoutActivated'; key: string }
  | { type: 'HardTimeoutActivated'; key: string }
  | { type: 'FailSafeActivated'; key: string; staleValue: unknown }
  | { type: 'EagerRefreshStarted'; key: string }
  | { type: 'EagerRefreshComplete'; key: string }
  | { type: 'L2Hit'; key: string }
  | { type: 'L2Miss'; key: string }
  | { type: 'L2Error'; key: string; err: unknown }
  | { type: 'L2CircuitBreakerStateChange'; open: boolean; state: BreakerState }
  | { type: 'BackplaneCircuitBreakerStateChange'; open: boolean; state: BreakerState }
  | { type: 'BackplaneSent'; key: string; messageType: BackplaneMessageType }
  | { type: 'BackplaneReceived'; key: string; messageType: BackplaneMessageType }
  | { type: 'BackplaneReconnected'; reason: string };

/** Circuit breaker state (§8). */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** A listener of every event, or of one type. */
export type CacheEventHandler<E extends CacheEvent = CacheEvent> = (event: E) => void;

/**
 * Synchronous event emitter (§10): handlers run in registration order on the emitting call path;
 * keep them fast. A throwing handler is isolated (the others still run, the cache is unaffected).
 */
export class CacheEvents {
  #handlers: CacheEventHandler[] = [];

  /** Whether anyone listens (emitters check this before building a payload). */
  get active(): boolean {
    return this.#handlers.length !== 0;
  }

  /** Registers a handler for every event, or for one `type`; returns the unsubscribe function. */
  on(handler: CacheEventHandler): () => void;
  on<T extends CacheEventType>(type: T, handler: CacheEventHandler<Extract<CacheEvent, { type: T }>>): () => void;
  on(a: CacheEventType | CacheEventHandler, b?: CacheEventHandler<never>): () => void {
    const handler: CacheEventHandler =
      typeof a === 'function' ? a : (e) => e.type === a && (b as CacheEventHandler)(e);
    this.#handlers = [...this.#handlers, handler];
    return () => {
      this.#handlers = this.#handlers.filter((h) => h !== handler);
    };
  }

  /** Emits `event` to every handler (internal; cheap when nobody listens). */
  emit(event: CacheEvent): void {
    for (const h of this.#handlers) {
      try {
        h(event);
      } catch {
        // A handler's failure must not break a cache operation.
      }
    }
  }
}
