/** DI token of the holder of the OpenAPI YAML, filled once after the app is built. */
export const OPENAPI_YAML = Symbol('OPENAPI_YAML');
/** DI token of the `GET /v1/topology` source (`TopologyReporter`). */
export const CLIENT_TOPOLOGY = Symbol('CLIENT_TOPOLOGY');
/** DI token of the `GET /v1/events` journal (`EventJournal`). */
export const CLIENT_EVENTS = Symbol('CLIENT_EVENTS');
/** DI token of the client API's request limits ({@link ClientApiLimits}). */
export const CLIENT_API_LIMITS = Symbol('CLIENT_API_LIMITS');

/** Request limits the client API checks by hand on its routes. */
export interface ClientApiLimits {
  /** `HYPERCACHE_MAX_KEY_LENGTH`, UTF-16 chars. */
  readonly maxKeyLength: number;
}
