/** DI token of the {@link HypercacheClient} options (resolved by the module). */
export const HYPERCACHE_CLIENT_OPTIONS = Symbol('HYPERCACHE_CLIENT_OPTIONS');
