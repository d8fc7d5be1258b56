/** DI token of the cache named `name` (default `'default'`). */
export function getCacheToken(name = 'default'): string {
  return `HYBRID_CACHE:${name}`;
}
