/**
 * Lifecycle state of this node shared by the three apps: draining is one-way until restart
 * (dist-protocol.md §13). While draining, client writes and deletes answer `503 DRAINING`,
 * reads continue, and readiness reports not-ready.
 */
export class NodeState {
  #draining = false;
  #serving = false;
  readonly #onDrainRequest: () => void;

  /** `onDrainRequest` runs once, when an operator's drain request ({@link drain}) first drains the node. */
  constructor(o: { onDrainRequest?: () => void } = {}) {
    this.#onDrainRequest = o.onDrainRequest ?? (() => undefined);
  }

  /** True once every listener of the node is bound ({@link markServing}); readiness needs it. */
  get isServing(): boolean {
    return this.#serving;
  }

  /** Marks the node's listeners bound (called once by the node after the last `listen`). */
  markServing(): void {
    this.#serving = true;
  }

  /** True once {@link markDraining} ran (SIGTERM or `/dist/drain`). */
  get isDraining(): boolean {
    return this.#draining;
  }

  /** Marks the node draining; returns false when it already was (idempotent). */
  markDraining(): boolean {
    if (this.#draining) return false;
    this.#draining = true;
    return true;
  }

  /**
   * An operator's drain request (`POST /dist/drain` on management or on the dist listener):
   * marks the node draining and, the first time, counts it (`Drains` in `/dist/metrics`).
   */
  drain(): void {
    if (this.markDraining()) this.#onDrainRequest();
  }
}
