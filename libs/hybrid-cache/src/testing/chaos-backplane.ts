import type { Backplane, BackplaneMessage, BackplaneSubscriber } from '../backplane/backplane';
import type { ChaosMode } from './chaos-l2';

/**
 * Wraps a backplane and makes `publish` fail or hang on demand; `dropIncoming` loses received
 * messages; `simulateReconnect()` tells subscribers that messages may have been missed.
 */
export class ChaosBackplane implements Backplane {
  mode: ChaosMode = 'ok';
  dropIncoming = false;
  /** Messages published successfully through this wrapper. */
  readonly published: BackplaneMessage[] = [];
  readonly #inner: Backplane;
  readonly #subscribers = new Set<BackplaneSubscriber>();
  #hung: Array<() => void> = [];

  constructor(inner: Backplane) {
    this.#inner = inner;
  }

  /** Back to `ok`; hung publishes now go through. */
  release(): void {
    this.mode = 'ok';
    const hung = this.#hung;
    this.#hung = [];
    for (const go of hung) go();
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
    if (this.mode === 'fail') return Promise.reject(new Error('chaos: backplane publish failed'));
    if (this.mode === 'hang') return new Promise<void>((resolve, reject) => this.#hung.push(() => run().then(resolve, reject)));
    return run();
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
