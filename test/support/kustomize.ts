import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One Kubernetes object as plain JSON. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: any };

/** True when `kubectl` (with its built-in kustomize) is on PATH; `HYPERCACHE_TEST_NO_KUBECTL=1` forces the fallback. */
export function hasKubectl(): boolean {
  if (process.env.HYPERCACHE_TEST_NO_KUBECTL === '1') return false;
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Renders a kustomization directory with `kubectl kustomize`. */
export function kubectlKustomize(dir: string): K8sObject[] {
  return parseYamlStream(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' }));
}

/** Every non-empty YAML document of a multi-document stream. */
export function parseYamlStream(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length > 0) throw d.errors[0];
      return d.toJSON() as K8sObject;
    })
    .filter((d) => d !== null);
}

/** Objects sorted by kind/namespace/name, for order-independent comparison. */
export function sortObjects(objs: K8sObject[]): K8sObject[] {
  const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  return [...objs].sort((a, b) => key(a).localeCompare(key(b)));
}

// Kinds this repo uses that are cluster-scoped (the namespace transformer leaves them alone).
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass']);
// List fields merged by `name` in a strategic merge patch (the rest are replaced), as kustomize does.
const MERGE_BY_NAME = new Set(['containers', 'initContainers', 'env', 'ports', 'volumes', 'volumeMounts']);

/**
 * A small Kustomize renderer for CI machines without kubectl: exactly the features the manifests
 * under deploy/k8s use (resources, labels.pairs, namespace, strategic-merge `patches` by path,
 * `replicas`, `images`, `replacements`), applied in kustomize's order. Anything else throws, so a
 * manifest change that needs more is noticed. Where kubectl exists a test checks that this
 * renders exactly what `kubectl kustomize` renders.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const k = parseYamlStream(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0] as any;
  const known = new Set(['apiVersion', 'kind', 'resources', 'labels', 'namespace', 'patches', 'replicas', 'images', 'replacements']);
  for (const field of Object.keys(k)) if (!known.has(field)) throw new Error(`kustomize-lite: unsupported field ${field} in ${dir}`);
  let objs: K8sObject[] = [];
  for (const r of k.resources ?? []) {
    const p = resolve(dir, r);
    objs.push(...(statSync(p).isDirectory() ? renderKustomization(p) : parseYamlStream(readFileSync(p, 'utf8'))));
  }
  for (const patch of k.patches ?? []) {
    if (patch.target !== undefined || patch.path === undefined) throw new Error('kustomize-lite: only `patches: - path:` is supported');
    for (const doc of parseYamlStream(readFileSync(resolve(dir, patch.path), 'utf8'))) {
      const target = objs.find((o) => o.kind === doc.kind && o.metadata.name === doc.metadata.name);
      if (!target) throw new Error(`kustomize-lite: patch target ${doc.kind}/${doc.metadata.name} not found`);
      objs = objs.map((o) => (o === target ? strategicMerge(o, doc) : o));
    }
  }
  if (k.namespace) for (const o of objs) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  for (const { pairs, ...rest } of k.labels ?? []) {
    if (Object.keys(rest).length > 0) throw new Error('kustomize-lite: only `labels: - pairs:` is supported');
    for (const o of objs) o.metadata.labels = { ...o.metadata.labels, ...pairs };
  }
  for (const r of k.replicas ?? []) {
    for (const o of objs) if (o.metadata.name === r.name && o.spec?.replicas !== undefined) o.spec.replicas = r.count;
  }
  for (const img of k.images ?? []) {
    for (const o of objs) {
      for (const c of [...(o.spec?.template?.spec?.containers ?? []), ...(o.spec?.template?.spec?.initContainers ?? [])]) {
        const [name, tag] = splitImage(c.image);
        if (name === img.name) c.image = `${img.newName ?? name}:${img.newTag ?? tag}`;
      }
    }
  }
  for (const rep of k.replacements ?? []) {
    const src = objs.find((o) => o.kind === rep.source.kind && o.metadata.name === rep.source.name);
    if (!src) throw new Error(`kustomize-lite: replacement source ${rep.source.kind}/${rep.source.name} not found`);
    const value = getPath(src, rep.source.fieldPath);
    for (const t of rep.targets) {
      for (const o of objs.filter((x) => x.kind === t.select.kind && x.metadata.name === t.select.name)) {
        for (const fp of t.fieldPaths) setPath(o, fp, value);
      }
    }
  }
  return objs;
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
}

function strategicMerge(base: any, patch: any, field = ''): any {
  if (Array.isArray(base) && Array.isArray(patch)) {
    if (!MERGE_BY_NAME.has(field)) return structuredClone(patch);
    const out = structuredClone(base);
    for (const item of patch) {
      const i = out.findIndex((x: any) => x.name === item.name);
      if (i >= 0) out[i] = strategicMerge(out[i], item);
      else out.push(structuredClone(item));
    }
    return out;
  }
  if (isObject(base) && isObject(patch)) {
    const out: any = structuredClone(base);
    for (const [key, v] of Object.entries(patch)) out[key] = key in out ? strategicMerge(out[key], v, key) : structuredClone(v);
    return out;
  }
  return structuredClone(patch);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

// Field paths as kustomize writes them: `a.b.[name=x].c`.
function walk(obj: any, path: string): { parent: any; key: string } {
  const parts = path.split('.');
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    cur = step(cur, parts[i]);
    if (cur === undefined) throw new Error(`kustomize-lite: ${path} not found`);
  }
  const last = parts[parts.length - 1];
  if (!(last in cur)) throw new Error(`kustomize-lite: ${path} not found`);
  return { parent: cur, key: last };
}

function step(cur: any, part: string): any {
  const m = /^\[(\w+)=(.+)\]$/.exec(part);
  if (m) return Array.isArray(cur) ? cur.find((x) => String(x[m[1]]) === m[2]) : undefined;
  return cur?.[part];
}

function getPath(obj: any, path: string): unknown {
  const { parent, key } = walk(obj, path);
  return parent[key];
}

function setPath(obj: any, path: string, value: unknown): void {
  const { parent, key } = walk(obj, path);
  // A scalar copied into a string field stays a string (kustomize writes `"7"`).
  parent[key] = typeof parent[key] === 'string' ? String(value) : value;
}

/** Renders with kubectl where present, else with {@link renderKustomization}. */
export function render(dir: string): K8sObject[] {
  return hasKubectl() ? kubectlKustomize(dir) : renderKustomization(dir);
}

/** The resource files (not patches) a kustomization tree lists, recursively. */
export function resourceFiles(dir: string): string[] {
  const k = parseYamlStream(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0] as any;
  return (k.resources ?? []).flatMap((r: string) => {
    const p = resolve(dir, r);
    return statSync(p).isDirectory() ? resourceFiles(p) : [p];
  });
}
