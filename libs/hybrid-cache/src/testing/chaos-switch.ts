/** How a chaos wrapper answers: normally, by failing, or by never answering. */
export type ChaosMode = 'ok' | 'fail' | 'hang';

/**
 * The fail/hang switch of the chaos wrappers ({@link ChaosL2}, {@link ChaosBackplane}): in `fail`
 * a call rejects at once, in `hang` it waits until {@link release} (then runs against the inner
 * adapter) or forever.
 */
export abstract class ChaosSwitch {
  mode: ChaosMode = 'ok';
  #hung: Array<() => void> = [];

  /** Back to `ok`; hung calls now run against the inner adapter. */
  release(): void {
    this.mode = 'ok';
    const hung = this.#hung;
    this.#hung = [];
    for (const go of hung) go();
  }

  /** Runs `call` as the current mode says; `what` names it in the failure (`chaos: <what> failed`). */
  protected through<T>(what: string, call: () => Promise<T>): Promise<T> {
    if (this.mode === 'fail') return Promise.reject(new Error(`chaos: ${what} failed`));
    if (this.mode === 'hang') return new Promise<T>((resolve, reject) => this.#hung.push(() => call().then(resolve, reject)));
    return call();
  }
}
