import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { http } from '../support/http';
import { render, type K8sObject } from '../support/kustomize';
import { freePort, ROOT, spawnServer, until } from '../support/server-process';

const BASE = join(ROOT, 'deploy/k8s/base');
const TOKEN = 'probe-token';

/** The base rendered with `replicas` pods (the seed replacement repeated, as docs/deploy.md says). */
function renderWithReplicas(replicas: number): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'hc-k8s-'));
  try {
    const base = readFileSync(join(BASE, 'kustomization.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      `resources:\n  - ${relative(dir, BASE)}\nreplicas:\n  - name: hypercache\n    count: ${replicas}\n${base.slice(base.indexOf('replacements:'))}`,
    );
    return render(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Boots pod `ordinal` the way the StatefulSet does: the container's args (statefulset-main.js),
 * its ConfigMap + env with the downward API resolved and the Secret's token, listening on free
 * local ports. The dist address gets an explicit 127.0.0.1 host (pod DNS names do not resolve here).
 */
async function bootPod(objs: K8sObject[], ordinal: number) {
  const sts = objs.find((o) => o.kind === 'StatefulSet')!;
  const c = sts.spec.template.spec.containers[0];
  const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === c.envFrom[0].configMapRef.name)!;
  const env: Record<string, string> = { ...cm.data };
  const fields: Record<string, string> = { 'metadata.name': `${sts.metadata.name}-${ordinal}`, 'metadata.namespace': 'default' };
  for (const e of c.env) env[e.name] = e.value ?? (e.valueFrom.fieldRef ? fields[e.valueFrom.fieldRef.fieldPath] : TOKEN);
  const ports = { api: await freePort(), mgmt: await freePort(), dist: await freePort() };
  Object.assign(env, {
    HYPERCACHE_API_ADDR: `127.0.0.1:${ports.api}`,
    HYPERCACHE_MGMT_ADDR: `127.0.0.1:${ports.mgmt}`,
    HYPERCACHE_DIST_ADDR: `127.0.0.1:${ports.dist}`,
  });
  const proc = spawnServer(env, join(ROOT, c.args[0]));
  const mgmt = `http://127.0.0.1:${ports.mgmt}`;
  await until(async () => (await http('GET', `${mgmt}/health`)).status === 200, 20_000);
  return { proc, c, ports, mgmt, dist: `http://127.0.0.1:${ports.dist}` };
}

describe('k8s probes against the real server booted from the StatefulSet spec', () => {
  it('liveness and readiness paths answer 200 on the management port without any auth header, with auth on', async () => {
    const pod = await bootPod(renderWithReplicas(1), 0);
    const { livenessProbe, readinessProbe } = pod.c;
    // Auth is really on: a protected management route refuses an anonymous request.
    expect((await http('GET', `${pod.mgmt}/stats`)).status).toBe(401);
    expect((await http('GET', `${pod.mgmt}${livenessProbe.httpGet.path}`)).status).toBe(200);
    // A pod of one is joined at once: ready as soon as its listeners are bound.
    await until(async () => (await http('GET', `${pod.mgmt}${readinessProbe.httpGet.path}`)).status === 200, 10_000);
    // What the kubelet sends for upstream's chart probe (deploy.md §5): the literal, unexpanded
    // `$(VAR)` — the peer-auth-wrapped dist /health refuses it, so that readiness never passes.
    const literal = { authorization: 'Bearer $(HYPERCACHE_AUTH_TOKEN)' };
    expect((await http('GET', `${pod.dist}/health`, { headers: literal })).status).toBe(401);
    expect((await http('GET', `${pod.dist}/health`, { token: TOKEN })).status).toBe(200);
  });

  it('a pod of a 3-replica set derives its identity and seeds from the replica count, and is not ready before joining them', async () => {
    const pod = await bootPod(renderWithReplicas(3), 0);
    const members = await http('GET', `${pod.mgmt}/cluster/members`, { token: TOKEN });
    expect(members.status).toBe(200);
    const addresses = Object.fromEntries(members.json().members.map((m: { ID: string; Address: string }) => [m.ID, m.Address]));
    // The dist port of each seed is this pod's own (all pods share the container spec).
    expect(addresses).toEqual({
      'hypercache-0': `127.0.0.1:${pod.ports.dist}`,
      'hypercache-1': `hypercache-1.hypercache-headless.default.svc.cluster.local:${pod.ports.dist}`,
      'hypercache-2': `hypercache-2.hypercache-headless.default.svc.cluster.local:${pod.ports.dist}`,
    });
    expect((await http('GET', `${pod.mgmt}${pod.c.livenessProbe.httpGet.path}`)).status).toBe(200);
    // Its peers' names do not resolve here: never joined, so the Service must not route to it.
    const ready = await http('GET', `${pod.mgmt}${pod.c.readinessProbe.httpGet.path}`);
    expect(ready.status).toBe(503);
    expect(ready.json().error.cluster).toEqual({ status: 'down', joined: false, seeds: ['hypercache-1', 'hypercache-2'] });
  });

  it('exits 1 naming the variable when the StatefulSet inputs are missing', async () => {
    const p = spawnServer({ POD_NAME: 'hypercache-0', POD_NAMESPACE: 'default', HYPERCACHE_STATEFULSET_SERVICE: 'hypercache-headless' }, join(ROOT, 'dist/apps/server/src/statefulset-main.js'));
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('HYPERCACHE_STATEFULSET_REPLICAS');
  });
});
