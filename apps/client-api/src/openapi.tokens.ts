/** DI token of the holder of the OpenAPI YAML, filled once after the app is built. */
export const OPENAPI_YAML = Symbol('OPENAPI_YAML');
