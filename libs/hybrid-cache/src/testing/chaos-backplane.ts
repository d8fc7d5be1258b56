import type { Backplane, BackplaneMessage, BackplaneSubscriber } from '../backplane/backplane';
import { ChaosSwitch } from './chaos-switch';

/**
 * Wraps a backplane and makes `publish` fail or hang on demand; `dropIncoming` loses received
 * messages; `simulateReconnect()` tells subscribers that messages may have been missed.
 */
export class ChaosBackplane extends ChaosSwitch implements Backplane {
  dropIncoming = false;
  /** Messages published successfully through this wrapper. */
  readonly published: BackplaneMessage[] = [];
  readonly #inner: Backplane;
  readonly #subscribers = new Set<BackplaneSubscriber>();

  constructor(inner: Backplane) {
    super();
    this.#inner = inner;
  }

  /** Notifies every subscriber as after a reconnect. */
  simulateReconnect(reason = 'chaos reconnect'): void {
    for (const s of this.#subscribers) s.onReconnect?.(reason);
  }

  publish(message: BackplaneMessage, signal?: AbortSignal): Promise<void> {
    const run = async (): Promise<void> => {
      await this.#inner.publish(message, signal);
      this.published.push(message);
    };
    return this.through('backplane publish', run);
  }

  async subscribe(subscriber: BackplaneSubscriber): Promise<() => void> {
    this.#subscribers.add(subscriber);
    const cancel = await this.#inner.subscribe({
      onMessage: (m) => {
        if (!this.dropIncoming) subscriber.onMessage(m);
      },
      onReconnect: (reason) => subscriber.onReconnect?.(reason),
    });
    return () => {
      this.#subscribers.delete(subscriber);
      cancel();
    };
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
