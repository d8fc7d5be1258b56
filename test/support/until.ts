/**
 * Polls `fn` until it returns true or the deadline passes (never sleep for state). On timeout the
 * error names the last failure of `fn` and, when given, what `explain` says about the state.
 */
export async function until(
  fn: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  stepMs = 25,
  explain?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await fn()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err; // not yet
    }
    if (Date.now() > deadline) {
      const why = [explain?.(), lastError === undefined ? undefined : `last error: ${String(lastError)}`].filter(Boolean).join('; ');
      throw new Error(`condition not met within ${timeoutMs} ms${why ? ` (${why})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
