import type { L2Adapter } from '../l2/l2-adapter';
import { ChaosSwitch } from './chaos-switch';

export type { ChaosMode } from './chaos-switch';

/**
 * Wraps an L2 adapter and fails or hangs on demand (chaos tests: breakers, fail-safe, timeouts).
 * A hung call settles when the mode goes back to `ok` (`release`) or never.
 */
export class ChaosL2 extends ChaosSwitch implements L2Adapter {
  /** Calls seen per method. */
  readonly calls = new Map<string, number>();
  readonly #inner: L2Adapter;

  constructor(inner: L2Adapter) {
    super();
    this.#inner = inner;
  }

  get(key: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    return this.#call('get', () => this.#inner.get(key, signal));
  }

  getMany(keys: readonly string[], signal?: AbortSignal): Promise<Array<Uint8Array | null>> {
    return this.#call('getMany', () => (this.#inner.getMany ? this.#inner.getMany(keys, signal) : Promise.all(keys.map((k) => this.#inner.get(k, signal)))));
  }

  set(key: string, value: Uint8Array, ttlMs: number, tags: readonly string[], signal?: AbortSignal): Promise<void> {
    return this.#call('set', () => this.#inner.set(key, value, ttlMs, tags, signal));
  }

  delete(key: string, signal?: AbortSignal): Promise<void> {
    return this.#call('delete', () => this.#inner.delete(key, signal));
  }

  deleteByTag(tag: string, signal?: AbortSignal): Promise<void> {
    return this.#call('deleteByTag', () => this.#inner.deleteByTag(tag, signal));
  }

  clear(prefix: string, signal?: AbortSignal): Promise<void> {
    return this.#call('clear', () => this.#inner.clear(prefix, signal));
  }

  ping(signal?: AbortSignal): Promise<void> {
    return this.#call('ping', () => this.#inner.ping(signal));
  }

  #call<T>(name: string, run: () => Promise<T>): Promise<T> {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
    return this.through(`L2 ${name}`, run);
  }
}
