import { AuthConfigError } from '../errors';

/** The parts of an OpenID Provider configuration document the verifier uses. */
export interface OidcDiscovery {
  readonly issuer: string;
  readonly jwksUri: string;
  /** Signature algorithms to accept: the IdP's advertised ones that we can verify. */
  readonly algorithms: readonly string[];
}

/** Asymmetric JWS algorithms jwks-rsa serves keys for and jsonwebtoken verifies. */
const VERIFIABLE = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/** `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * Fetches and checks the issuer's discovery document (auth.md §5: at boot, blocking; failure is
 * fatal). The document's `issuer` must equal the configured one (trailing slashes aside) and
 * `jwks_uri` must be present.
 */
export async function discoverOidc(issuer: string, timeoutMs: number): Promise<OidcDiscovery> {
  const url = discoveryUrl(issuer);
  const fail = (why: string, cause?: unknown) => new AuthConfigError('HYPERCACHE_OIDC_ISSUER', `OIDC discovery at ${url} failed: ${why}`, { cause });
  let doc: Record<string, unknown>;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!res.ok) throw fail(`HTTP ${res.status}`);
    doc = (await res.json()) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof AuthConfigError) throw e;
    throw fail((e as Error).message, e);
  }
  if (typeof doc !== 'object' || doc === null) throw fail('not a JSON object');
  const strip = (s: string) => s.replace(/\/+$/, '');
  if (typeof doc.issuer !== 'string' || strip(doc.issuer) !== strip(issuer)) throw fail(`document issuer ${JSON.stringify(doc.issuer)} does not match`);
  if (typeof doc.jwks_uri !== 'string' || doc.jwks_uri === '') throw fail('no jwks_uri');
  const advertised = Array.isArray(doc.id_token_signing_alg_values_supported)
    ? doc.id_token_signing_alg_values_supported.filter((a): a is string => typeof a === 'string')
    : ['RS256'];
  const algorithms = advertised.filter((a) => VERIFIABLE.includes(a));
  if (algorithms.length === 0) throw fail(`no supported signing algorithm among ${JSON.stringify(advertised)}`);
  return { issuer: doc.issuer, jwksUri: doc.jwks_uri, algorithms };
}
