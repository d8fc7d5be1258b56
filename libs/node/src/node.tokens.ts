/** DI token of the node's {@link NodeCache} (the data seam) in the apps that consume it. */
export const NODE_CACHE = Symbol('NODE_CACHE');

/** DI token of the node's backend-specific readiness checks (`readonly ReadinessCheck[]`) in the management app. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
