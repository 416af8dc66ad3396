/**
 * A small Kustomize, enough for deploy/kubernetes: `resources` (files and directories),
 * `components`, `namespace`, `labels` (pairs on metadata), `images`, `configMapGenerator` (files,
 * no hash suffix), and `patches` (strategic-merge, from `path` or inline `patch`: maps merged
 * key by key, lists of named items merged by `name`, `$patch: delete` removes the object).
 * The deployment tests render the overlays with it where `kubectl` is absent, so the schema
 * validation of every object runs everywhere; where `kubectl` exists they check that both agree.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

interface Kustomization {
  kind?: string;
  resources?: string[];
  components?: string[];
  namespace?: string;
  labels?: Array<{ pairs: Record<string, string> }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  configMapGenerator?: Array<{ name: string; files?: string[] }>;
  patches?: Array<{ path?: string; patch?: string }>;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readDocs(text: string, where: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length > 0) throw new Error(`${where}: ${d.errors[0]!.message}`);
    return d.toJS() as Record<string, unknown>;
  }).filter((d) => d !== null);
}

/** Strategic merge, the subset the manifests use. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (isMap(target) && isMap(patch)) {
    const out: Record<string, unknown> = { ...target };
    for (const [k, v] of Object.entries(patch)) out[k] = k in target ? mergePatch(target[k], v) : v;
    return out;
  }
  if (Array.isArray(target) && Array.isArray(patch) && patch.every((p) => isMap(p) && typeof p.name === 'string')) {
    const out = [...target];
    for (const p of patch as Array<Record<string, unknown>>) {
      const i = out.findIndex((t) => isMap(t) && t.name === p.name);
      if (i >= 0) out[i] = mergePatch(out[i], p);
      else out.push(p);
    }
    return out;
  }
  return patch;
}

const sameObject = (a: K8sObject, b: Record<string, unknown>): boolean =>
  a.kind === b.kind && a.metadata.name === (b.metadata as { name?: string } | undefined)?.name;

function applyImages(node: unknown, images: NonNullable<Kustomization['images']>): void {
  if (Array.isArray(node)) return node.forEach((n) => applyImages(n, images));
  if (!isMap(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'image' && typeof v === 'string') {
      const [name, tag] = v.split(':');
      const rule = images.find((i) => i.name === name);
      if (rule) node[k] = `${rule.newName ?? name}:${rule.newTag ?? tag ?? 'latest'}`;
    } else {
      applyImages(v, images);
    }
  }
}

/** Renders the kustomization in `dir` (a Kustomization or, through `components`, a Component). */
export function kustomize(dir: string): K8sObject[] {
  const file = ['kustomization.yaml', 'kustomization.yml'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`${dir}: no kustomization.yaml`);
  const k = readDocs(readFileSync(file, 'utf8'), file)[0] as Kustomization;
  let objects: K8sObject[] = [];
  for (const r of k.resources ?? []) {
    const p = join(dir, r);
    if (statSync(p).isDirectory()) objects.push(...kustomize(p));
    else objects.push(...(readDocs(readFileSync(p, 'utf8'), p) as K8sObject[]));
  }
  for (const g of k.configMapGenerator ?? []) {
    const data = Object.fromEntries((g.files ?? []).map((f) => [basename(f), readFileSync(join(dir, f), 'utf8')]));
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: g.name }, data });
  }
  // A Component's patches apply to what the including kustomization gathered (below), not here.
  const patches = k.kind === 'Component' ? [] : (k.patches ?? []).flatMap((p) => readDocs(p.path ? readFileSync(join(dir, p.path), 'utf8') : p.patch ?? '', `${file} patch`));
  // A component applies to what the including kustomization has gathered so far.
  for (const c of k.components ?? []) {
    const component = join(dir, c);
    objects.push(...kustomize(component).filter((o) => !objects.some((x) => sameObject(x, o))));
    const ck = readDocs(readFileSync(join(component, 'kustomization.yaml'), 'utf8'), component)[0] as Kustomization;
    patches.push(...(ck.patches ?? []).flatMap((p) => readDocs(p.path ? readFileSync(join(component, p.path), 'utf8') : p.patch ?? '', component)));
  }
  for (const patch of patches) {
    const i = objects.findIndex((o) => sameObject(o, patch));
    if (i < 0) throw new Error(`${file}: a patch names ${String(patch.kind)}/${String((patch.metadata as { name?: string }).name)}, which is not a resource`);
    if (patch.$patch === 'delete') objects.splice(i, 1);
    else objects[i] = mergePatch(objects[i], patch) as K8sObject;
  }
  for (const o of objects) {
    for (const l of k.labels ?? []) o.metadata.labels = { ...l.pairs, ...o.metadata.labels };
    if (k.namespace !== undefined && o.kind !== 'Namespace') o.metadata.namespace = k.namespace;
  }
  if (k.images) for (const o of objects) applyImages(o, k.images);
  objects = objects.map((o) => JSON.parse(JSON.stringify(o)) as K8sObject);
  return objects;
}

/** Parses `kubectl kustomize` output. */
export function parseRendered(text: string): K8sObject[] {
  return readDocs(text, 'kubectl kustomize output') as K8sObject[];
}
