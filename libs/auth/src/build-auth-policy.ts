import { AuthPolicy } from './auth-policy';
import { AuthConfigError } from './errors';
import { OidcVerifier } from './oidc/oidc-verifier';
import type { OidcOptions } from './oidc/oidc-options';
import { loadPolicyFile } from './policy-file';

/** Auth inputs of the server binary (`HYPERCACHE_AUTH_*`, `HYPERCACHE_OIDC_*`). */
export interface ClientAuthSources {
  /** `HYPERCACHE_AUTH_CONFIG`: path of the policy file. */
  authConfigPath?: string;
  /** `HYPERCACHE_AUTH_TOKEN`: the legacy token (used for the client API only without a policy file). */
  authToken?: string;
  /** `HYPERCACHE_OIDC_*`. */
  oidc?: OidcOptions;
}

/** The client/management policy and how it came about (for the boot log). */
export interface BuiltClientPolicy {
  readonly policy: AuthPolicy;
  /** `file`, `token` or `none`: where static identities came from. */
  readonly source: 'file' | 'token' | 'none';
  readonly oidc: boolean;
  /** Anonymous mode on (every request gets all scopes unless it resolves to an identity). */
  readonly anonymous: boolean;
}

/**
 * Builds the client API / management policy exactly as auth.md §2 orders it:
 * 1. policy file set → load it (any error is a fatal {@link AuthConfigError});
 * 2. else `HYPERCACHE_AUTH_TOKEN` → one identity `default` with read, write, admin;
 * 3. else empty.
 * OIDC is attached next (discovery at boot, fatal on failure), and only then is "configured?"
 * decided (TS MUST): anonymous mode is `allow_anonymous` verbatim when a file was given, and
 * otherwise only when there is no token, no cert identity and no OIDC at all. So an OIDC-only
 * deployment and an empty file are never open.
 */
export async function buildClientAuthPolicy(s: ClientAuthSources): Promise<BuiltClientPolicy> {
  const file = s.authConfigPath === undefined ? undefined : loadPolicyFile(s.authConfigPath);
  const tokens = file?.tokens ?? (s.authToken ? [{ id: 'default', token: s.authToken, scopes: ['read', 'write', 'admin'] as const }] : []);
  let oidc: OidcVerifier | undefined;
  if (s.oidc !== undefined) {
    try {
      oidc = await OidcVerifier.create(s.oidc);
    } catch (e) {
      if (e instanceof AuthConfigError) throw e;
      throw new AuthConfigError('HYPERCACHE_OIDC_ISSUER', (e as Error).message, { cause: e });
    }
  }
  const certIdentities = file?.certIdentities ?? [];
  const anonymous = file !== undefined ? file.allowAnonymous : tokens.length === 0 && oidc === undefined;
  return {
    policy: new AuthPolicy({ tokens, certIdentities, oidc, allowAnonymous: anonymous }),
    source: file !== undefined ? 'file' : tokens.length > 0 ? 'token' : 'none',
    oidc: oidc !== undefined,
    anonymous,
  };
}
