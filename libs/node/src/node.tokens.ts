/** DI token of the node's {@link NodeCache} (the data seam) in the apps that consume it. */
export const NODE_CACHE = Symbol('NODE_CACHE');
