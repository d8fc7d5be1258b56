#!/usr/bin/env node
import { ConfigError, deriveStatefulSetEnv } from '@hypercache/config';

/**
 * Entry for a Kubernetes StatefulSet pod (deploy/k8s): derives `HYPERCACHE_NODE_ID`,
 * `HYPERCACHE_DIST_ADDR` and `HYPERCACHE_SEEDS` from the pod name and the replica count
 * ({@link deriveStatefulSetEnv}), then runs the normal server entry in this same process (so
 * SIGTERM reaches the server's own handler). A missing or bad input exits 1 naming it.
 */
try {
  Object.assign(process.env, deriveStatefulSetEnv(process.env));
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`hypercache-server: invalid configuration: ${e.message}\n`);
  process.exit(1);
}
// A plain require (not an import) so the server starts only after the environment is set.
require('./main');
