import type { PeerHandler } from './peer-handler';

/**
 * Address book of in-process nodes: dist-listener address (`host:port`) → {@link PeerHandler}.
 * Shared by the {@link InProcessTransport} of every node of a test cluster; unregistering an
 * address makes it unreachable, like a stopped listener.
 */
export class InProcessPeerRegistry {
  readonly #handlers = new Map<string, PeerHandler>();

  /** Registers `handler` at `address`; returns a function that unregisters it (only if still the same handler). */
  register(address: string, handler: PeerHandler): () => void {
    if (this.#handlers.has(address)) throw new Error(`address ${address} is already registered`);
    this.#handlers.set(address, handler);
    return () => {
      if (this.#handlers.get(address) === handler) this.#handlers.delete(address);
    };
  }

  /** Removes the handler at `address`; returns whether there was one. */
  unregister(address: string): boolean {
    return this.#handlers.delete(address);
  }

  /** The handler at `address`, or `undefined` (→ unreachable). */
  resolve(address: string): PeerHandler | undefined {
    return this.#handlers.get(address);
  }

  /** Registered addresses, in registration order. */
  get addresses(): string[] {
    return [...this.#handlers.keys()];
  }
}
