/**
 * Reconnect delay of the ioredis clients, ms: 50, 100, 200, … capped at 2 s. Never `null`
 * (in ioredis `null` stops reconnecting for good; decisions B5), so a backend comes back on its
 * own whenever Redis does.
 */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(Math.max(attempt - 1, 0), 10), 2_000);
}
