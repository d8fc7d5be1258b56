import type { Logger } from 'pino';
import { AuthPolicy, buildClientAuthPolicy } from '@hypercache/auth';
import type { Clock, ServerConfig } from '@hypercache/config';

/**
 * Builds the one client API / management policy (auth.md §2; policy file, OIDC discovery) and
 * logs how it came about. Any problem rejects, and the node does not start (fail closed).
 */
export async function clientAuthPolicy(config: ServerConfig, log: Logger, now: Clock): Promise<AuthPolicy> {
  const built = await buildClientAuthPolicy({
    authConfigPath: config.auth.configPath,
    authToken: config.auth.token,
    oidc: config.auth.oidc && { ...config.auth.oidc, now },
  });
  const fields = { component: 'auth', source: built.source, oidc: built.oidc, anonymous: built.anonymous, mtls: config.clientApi.tls?.clientCaFile !== undefined };
  if (built.source === 'none' && !built.oidc) {
    log.warn(fields, 'running with no client API auth configured: anonymous mode, every request has all scopes');
  } else if (built.anonymous) {
    log.warn(fields, 'auth policy allows anonymous access: unauthenticated requests have all scopes');
  } else {
    log.info(fields, 'client API auth configured');
  }
  return built.policy;
}

/**
 * The dist listener's policy (auth.md §2, dist-protocol.md §17.4): the peer token
 * `HYPERCACHE_AUTH_TOKEN` whenever set, independent of the client policy. Upstream trap: with
 * client auth configured (policy file or OIDC) but no peer token, the dist listener would be
 * open. TS: it then admits nobody (every peer request 401) and the boot log says why — unless the
 * peers authenticate each other with mutual TLS (`HYPERCACHE_DIST_TLS_CA`).
 */
export function peerAuthPolicy(config: ServerConfig, log: Logger): AuthPolicy {
  if (config.auth.token !== undefined) return AuthPolicy.singleToken(config.auth.token, 'peer');
  const clientAuth = config.auth.configPath !== undefined || config.auth.oidc !== undefined;
  if (!clientAuth || config.distTls?.caFile !== undefined) return AuthPolicy.singleToken(undefined);
  log.error(
    { component: 'auth' },
    'client API auth is configured but HYPERCACHE_AUTH_TOKEN (the peer token) is not: the dist listener rejects every peer request; set HYPERCACHE_AUTH_TOKEN on every node (or HYPERCACHE_DIST_TLS_CA for mutual TLS between peers)',
  );
  return new AuthPolicy({});
}
