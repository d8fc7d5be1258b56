const cleanups: Array<() => Promise<void> | void> = [];

/** Registers teardown work run after the current test file (LIFO). Builders call this. */
export function registerCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/** Runs and forgets every registered cleanup; wired as a global afterAll in jest.setup.ts. */
export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    await fn();
  }
}
