import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CONTAINER_RESERVE_BYTES, deriveStatefulSetEnv, loadServerConfig, parseByteSize, parseGoDurationMs, parseListenAddress } from '@hypercache/config';
import {
  hasKubectl,
  kubectlKustomize,
  parseYamlStream,
  render,
  renderKustomization,
  resourceFiles,
  sortObjects,
  type K8sObject,
} from '../support/kustomize';
import { ROOT } from '../support/server-process';

const K8S = join(ROOT, 'deploy/k8s');
const BASE = join(K8S, 'base');
const OVERLAY = join(K8S, 'overlays/example');
const MONITORING = join(K8S, 'components/monitoring');
const KUBECTL = hasKubectl();

/** kubernetes-models class for an object's apiVersion/kind (`v1` → core, `apps/v1` → group). */
function modelOf(o: K8sObject): { new (data: unknown): { validate(): void } } {
  // prometheus-operator kinds (the monitoring component) come from its own models package.
  const pkg = o.apiVersion.startsWith('monitoring.coreos.com/') ? '@kubernetes-models/prometheus-operator' : 'kubernetes-models';
  const mod = require(`${pkg}/${o.apiVersion}/${o.kind}`);
  return mod[o.kind];
}

function validate(o: K8sObject): void {
  const Model = modelOf(o);
  new Model(o).validate();
}

const one = (objs: K8sObject[], kind: string, name?: string) => {
  const found = objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0];
};

const yamlFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? yamlFiles(p) : p.endsWith('.yaml') ? [p] : [];
  });

/** A throw-away overlay of the base with `replicas` (and the seed replacement) — as docs/deploy.md tells users to write. */
function overlayWithReplicas(replicas: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'hc-k8s-'));
  const base = readFileSync(join(BASE, 'kustomization.yaml'), 'utf8');
  const replacements = base.slice(base.indexOf('replacements:'));
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `resources:\n  - ${relative(dir, BASE)}\nreplicas:\n  - name: hypercache\n    count: ${replicas}\n${replacements}`,
  );
  return dir;
}

/** The env of pod `ordinal` as the kubelet would build it (ConfigMap, then env; fieldRefs resolved; secrets stubbed). */
function podEnv(objs: K8sObject[], ordinal: number): Record<string, string> {
  const sts = one(objs, 'StatefulSet');
  const c = sts.spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const src of c.envFrom ?? []) Object.assign(env, one(objs, 'ConfigMap', src.configMapRef.name).data);
  const fields: Record<string, string> = { 'metadata.name': `${sts.metadata.name}-${ordinal}`, 'metadata.namespace': sts.metadata.namespace ?? 'default' };
  for (const e of c.env) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef) env[e.name] = fields[e.valueFrom.fieldRef.fieldPath];
    else if (e.valueFrom?.secretKeyRef) env[e.name] = 'secret-from-k8s';
  }
  return env;
}

describe('deploy/k8s manifests', () => {
  const renders: Array<[string, string]> = [
    ['base', BASE],
    ['example overlay', OVERLAY],
  ];

  it('every resource file validates against the Kubernetes schemas on its own', () => {
    const files = [...resourceFiles(BASE), ...resourceFiles(OVERLAY), ...resourceFiles(MONITORING)];
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) for (const o of parseYamlStream(readFileSync(f, 'utf8'))) validate(o);
    // Every YAML file under deploy/k8s is a kustomization, a listed resource or a listed patch.
    const listed = new Set(files);
    for (const f of yamlFiles(K8S)) {
      if (f.endsWith('kustomization.yaml') || listed.has(f)) continue;
      const dirK = parseYamlStream(readFileSync(join(f, '../kustomization.yaml'), 'utf8'))[0] as { patches?: Array<{ path: string }> };
      expect(dirK.patches?.map((p) => join(f, '..', p.path))).toContain(f);
    }
  });

  it('the schema check is not vacuous: a wrongly typed or incomplete manifest is rejected', () => {
    const sts = structuredClone(one(render(BASE), 'StatefulSet'));
    sts.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    expect(() => validate(sts)).toThrow(/containerPort must be integer/);
    const svc = structuredClone(one(render(BASE), 'Service', 'hypercache'));
    delete svc.spec.ports[0].port;
    expect(() => validate(svc)).toThrow(/port/);
  });

  it.each(renders)('the rendered %s validates against the Kubernetes schemas', (_, dir) => {
    const objs = render(dir);
    expect(objs.map((o) => o.kind).sort()).toEqual(
      expect.arrayContaining(['ConfigMap', 'PodDisruptionBudget', 'Service', 'Service', 'Service', 'ServiceAccount', 'StatefulSet']),
    );
    for (const o of objs) validate(o);
  });

  (KUBECTL ? it.each(renders) : it.skip.each(renders))('the kustomize fallback renders the %s exactly as kubectl does', (_, dir) => {
    expect(sortObjects(renderKustomization(dir))).toEqual(sortObjects(kubectlKustomize(dir)));
  });

  describe.each(renders)('%s invariants', (_, dir) => {
    const objs = render(dir);
    const sts = one(objs, 'StatefulSet');
    const pod = sts.spec.template.spec;
    const c = pod.containers[0];
    const env = podEnv(objs, 0);
    const containerPort = (name: string) => c.ports.find((p: { name: string }) => p.name === name)?.containerPort;

    it('container ports are the ports of HYPERCACHE_API_ADDR / _MGMT_ADDR / _DIST_ADDR', () => {
      expect(containerPort('api')).toBe((parseListenAddress(env.HYPERCACHE_API_ADDR) as { port: number }).port);
      expect(containerPort('mgmt')).toBe((parseListenAddress(env.HYPERCACHE_MGMT_ADDR) as { port: number }).port);
      expect(containerPort('dist')).toBe((parseListenAddress(env.HYPERCACHE_DIST_ADDR) as { port: number }).port);
      expect([containerPort('api'), containerPort('mgmt'), containerPort('dist')]).toEqual([8080, 8081, 7946]);
    });

    it('services select the pods and target named container ports; the headless one backs the StatefulSet', () => {
      const labels: Record<string, string> = sts.spec.template.metadata.labels;
      expect(Object.keys(sts.spec.selector.matchLabels).length).toBeGreaterThan(0);
      for (const [k, v] of Object.entries(sts.spec.selector.matchLabels)) expect(labels[k]).toBe(v);
      const services = objs.filter((o) => o.kind === 'Service');
      expect(services.map((s) => s.metadata.name).sort()).toEqual(['hypercache', 'hypercache-headless', 'hypercache-mgmt']);
      for (const s of services) {
        for (const [k, v] of Object.entries(s.spec.selector as Record<string, string>)) expect(labels[k]).toBe(v);
        for (const p of s.spec.ports) expect(containerPort(p.targetPort)).toBe(p.port);
      }
      const headless = one(objs, 'Service', sts.spec.serviceName);
      expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
      expect(one(objs, 'Service', 'hypercache').spec.ports.map((p: { targetPort: string }) => p.targetPort)).toEqual(['api']);
      expect(one(objs, 'Service', 'hypercache-mgmt').spec.ports.map((p: { targetPort: string }) => p.targetPort)).toEqual(['mgmt']);
      expect(env.HYPERCACHE_STATEFULSET_SERVICE).toBe(sts.spec.serviceName);
    });

    it('every pod derives the same seed list covering every replica, and the server accepts its env', () => {
      const replicas: number = sts.spec.replicas;
      expect(env.HYPERCACHE_STATEFULSET_REPLICAS).toBe(String(replicas));
      expect(c.args).toEqual(['dist/apps/server/src/statefulset-main.js']);
      const ns = sts.metadata.namespace ?? 'default';
      const expected = Array.from({ length: replicas }, (_, i) => `hypercache-${i}@hypercache-${i}.${sts.spec.serviceName}.${ns}.svc.cluster.local:7946`);
      for (let i = 0; i < replicas; i++) {
        const e = podEnv(objs, i);
        const derived = deriveStatefulSetEnv(e);
        expect(derived.HYPERCACHE_SEEDS.split(',')).toEqual(expected);
        expect(derived.HYPERCACHE_NODE_ID).toBe(`hypercache-${i}`);
        expect(expected).toContain(`${derived.HYPERCACHE_NODE_ID}@${derived.HYPERCACHE_DIST_ADDR}`);
        expect(() => loadServerConfig({ ...e, ...derived })).not.toThrow();
      }
    });

    it('probes hit the public terminus routes on the management port, with no auth header', () => {
      expect(c.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'mgmt' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'mgmt' });
      // Upstream's chart sends `Authorization: Bearer $(HYPERCACHE_AUTH_TOKEN)`, which Kubernetes
      // never expands in probe headers (deploy.md §5): no probe may carry a header at all.
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe].filter(Boolean)) expect(probe.httpGet.httpHeaders).toBeUndefined();
    });

    it('drains within the grace period: terminationGracePeriodSeconds > HYPERCACHE_SHUTDOWN_TIMEOUT', () => {
      const drainMs = parseGoDurationMs(env.HYPERCACHE_SHUTDOWN_TIMEOUT ?? '30s');
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(drainMs + 5_000);
      expect(c.lifecycle?.preStop).toBeUndefined(); // SIGTERM itself drains
    });

    it('runs hardened: non-root, read-only root fs, no privilege escalation, every capability dropped', () => {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.securityContext.capabilities.add).toBeUndefined();
      expect(c.securityContext.privileged).not.toBe(true);
      // The only writable path is an emptyDir on /tmp.
      const tmp = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
      expect(pod.volumes.find((v: { name: string }) => v.name === tmp.name).emptyDir).toBeDefined();
      expect(pod.automountServiceAccountToken).toBe(false);
    });

    it('takes the token from a Secret, tunables from the ConfigMap, and sets requests and limits', () => {
      expect(c.env.find((e: { name: string }) => e.name === 'HYPERCACHE_AUTH_TOKEN').valueFrom.secretKeyRef).toEqual({ name: 'hypercache-auth', key: 'token' });
      const cm = one(objs, 'ConfigMap', c.envFrom[0].configMapRef.name);
      expect(Object.keys(cm.data)).toEqual(expect.arrayContaining(['HYPERCACHE_REPLICATION', 'HYPERCACHE_CAPACITY', 'HYPERCACHE_HEARTBEAT', 'HYPERCACHE_HINT_TTL', 'HYPERCACHE_HINT_REPLAY', 'HYPERCACHE_REBALANCE_INTERVAL', 'HYPERCACHE_LOG_LEVEL']));
      expect(Object.keys(cm.data).some((k) => /TOKEN|SECRET|PASSWORD/.test(k))).toBe(false);
      expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    });

    it('sizes memory consistently: request = limit ≥ HYPERCACHE_MAX_MEMORY + hint cap + the runtime reserve', () => {
      expect(c.resources.requests.memory).toBe(c.resources.limits.memory);
      const limitBytes = parseByteSize(c.resources.limits.memory);
      const config = loadServerConfig({ ...env, ...deriveStatefulSetEnv(env) }, { cgroup: { root: '/nonexistent', procSelfCgroup: '/nonexistent' } });
      expect(config.memory.maxMemorySource).toBe('env');
      expect(config.engine.maxCacheSizeBytes).toBeGreaterThan(0);
      expect(config.dist.hintMaxBytes).toBeGreaterThan(0);
      expect(config.engine.maxCacheSizeBytes + config.dist.hintMaxBytes + CONTAINER_RESERVE_BYTES).toBeLessThanOrEqual(limitBytes);
    });

    it('spreads pods over nodes and lets at most one be voluntarily disrupted (2 of 3 owners stay up)', () => {
      const term = pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0];
      expect(term.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
      expect(term.podAffinityTerm.labelSelector.matchLabels).toEqual(sts.spec.selector.matchLabels);
      const pdb = one(objs, 'PodDisruptionBudget');
      expect(pdb.spec.selector.matchLabels).toEqual(sts.spec.selector.matchLabels);
      expect(pdb.spec.maxUnavailable).toBe(1);
      expect(Number(env.HYPERCACHE_REPLICATION)).toBeLessThanOrEqual(sts.spec.replicas);
    });
  });

  (KUBECTL ? it : it.skip)('the optional monitoring component adds a valid ServiceMonitor that scrapes only the management Service', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hc-k8s-mon-'));
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n  - ${relative(dir, BASE)}\ncomponents:\n  - ${relative(dir, MONITORING)}\n`);
      const objs = kubectlKustomize(dir);
      const sm = one(objs, 'ServiceMonitor', 'hypercache');
      validate(sm);
      const selected = objs.filter(
        (o) => o.kind === 'Service' && Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v),
      );
      expect(selected.map((s) => s.metadata.name)).toEqual(['hypercache-mgmt']);
      expect(sm.spec.endpoints).toHaveLength(1);
      const [ep] = sm.spec.endpoints;
      expect(selected[0].spec.ports.map((p: { name: string }) => p.name)).toContain(ep.port);
      expect(ep.path).toBe('/metrics');
      const sts = one(objs, 'StatefulSet');
      const tokenRef = sts.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'HYPERCACHE_AUTH_TOKEN').valueFrom.secretKeyRef;
      expect(ep.authorization.credentials).toEqual(tokenRef);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the example overlay changes namespace, image, replica count and tunables — and the seeds follow the count', () => {
    const objs = render(OVERLAY);
    const sts = one(objs, 'StatefulSet');
    expect(sts.spec.replicas).toBe(7);
    expect(sts.spec.template.spec.containers[0].image).toBe('registry.example.com/hypercache/hypercache-server:0.1.0');
    for (const o of objs) if (o.kind !== 'Namespace') expect(o.metadata.namespace).toBe('hypercache');
    expect(one(objs, 'ConfigMap').data.HYPERCACHE_LOG_LEVEL).toBe('warn');
    expect(deriveStatefulSetEnv(podEnv(objs, 6)).HYPERCACHE_SEEDS.split(',')).toHaveLength(7);
  });

  it.each([1, 3, 4, 9])('with %i replicas, each pod is seeded with exactly the pods 0..n-1', (n) => {
    const dir = overlayWithReplicas(n);
    try {
      const objs = render(dir);
      for (const o of objs) validate(o);
      const ids = Array.from({ length: n }, (_, i) => `hypercache-${i}`);
      for (let i = 0; i < n; i++) {
        const seeds = deriveStatefulSetEnv(podEnv(objs, i)).HYPERCACHE_SEEDS.split(',');
        expect(seeds.map((s) => s.split('@')[0])).toEqual(ids);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
