import { ConfigError } from './errors';
import { parseListenAddress } from './listen-address';

type Env = Record<string, string | undefined>;

/** Default Kubernetes cluster DNS domain (`HYPERCACHE_CLUSTER_DOMAIN`). */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function required(env: Env, name: string): string {
  const v = env[name]?.trim();
  if (v === undefined || v === '') throw new ConfigError(name, env[name] ?? '', 'must be set (Kubernetes StatefulSet mode)');
  return v;
}

function dnsLabel(env: Env, name: string, value: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) throw new ConfigError(name, value, 'must be a DNS-1123 label');
  return value;
}

/**
 * Derives the cluster identity of one StatefulSet pod from the replica count, so the seed list is
 * never hand-written (docs/deploy.md, deploy.md §5 "Pod env"). Inputs:
 *
 * - `POD_NAME`, `POD_NAMESPACE`: downward API; the pod name is `<statefulset>-<ordinal>`.
 * - `HYPERCACHE_STATEFULSET_REPLICAS`: the StatefulSet's `spec.replicas` (copied by Kustomize).
 * - `HYPERCACHE_STATEFULSET_SERVICE`: the headless Service (the StatefulSet's `serviceName`).
 * - `HYPERCACHE_CLUSTER_DOMAIN`: default `cluster.local`.
 * - `HYPERCACHE_DIST_ADDR`: only its port is used when it is `:port` (default `:7946`).
 *
 * Returns the variables to set: `HYPERCACHE_NODE_ID` = the pod name, `HYPERCACHE_DIST_ADDR` =
 * `<pod>.<service>.<ns>.svc.<domain>:<port>` (bind and advertise; kubelet puts this name in the
 * pod's /etc/hosts), and `HYPERCACHE_SEEDS` = every pod `0..replicas-1` as `id@fqdn:port`,
 * self included (skipped by ID match, as the upstream chart does). Variables already set
 * explicitly are kept. Throws {@link ConfigError} naming the bad variable.
 */
export function deriveStatefulSetEnv(env: Env): Record<string, string> {
  const podName = dnsLabel(env, 'POD_NAME', required(env, 'POD_NAME'));
  const namespace = dnsLabel(env, 'POD_NAMESPACE', required(env, 'POD_NAMESPACE'));
  const service = dnsLabel(env, 'HYPERCACHE_STATEFULSET_SERVICE', required(env, 'HYPERCACHE_STATEFULSET_SERVICE'));
  const rawReplicas = required(env, 'HYPERCACHE_STATEFULSET_REPLICAS');
  const replicas = /^\d+$/.test(rawReplicas) ? Number(rawReplicas) : NaN;
  if (!Number.isSafeInteger(replicas) || replicas < 1 || replicas > 1000) {
    throw new ConfigError('HYPERCACHE_STATEFULSET_REPLICAS', rawReplicas, 'expected an integer 1..1000');
  }
  const m = /^(.+)-(\d+)$/.exec(podName);
  if (!m) throw new ConfigError('POD_NAME', podName, 'expected <statefulset>-<ordinal>');
  const base = m[1];
  const domain = env.HYPERCACHE_CLUSTER_DOMAIN?.trim() || DEFAULT_CLUSTER_DOMAIN;
  const rawDist = env.HYPERCACHE_DIST_ADDR?.trim() || ':7946';
  const dist = parseListenAddress(rawDist);
  if (typeof dist === 'string') throw new ConfigError('HYPERCACHE_DIST_ADDR', rawDist, dist);
  const fqdn = (pod: string) => `${pod}.${service}.${namespace}.svc.${domain}`;
  const seeds = Array.from({ length: replicas }, (_, i) => `${base}-${i}@${fqdn(`${base}-${i}`)}:${dist.port}`);
  return {
    HYPERCACHE_NODE_ID: env.HYPERCACHE_NODE_ID?.trim() || podName,
    // `:port` means "this pod's stable name"; an explicit host:port is kept as given.
    HYPERCACHE_DIST_ADDR: rawDist.startsWith(':') ? `${fqdn(podName)}:${dist.port}` : rawDist,
    HYPERCACHE_SEEDS: env.HYPERCACHE_SEEDS?.trim() || seeds.join(','),
  };
}
