/**
 * deploy/kubernetes: each overlay renders (with `kubectl kustomize` where kubectl exists, and with
 * the test's own small Kustomize everywhere, test/deploy/kustomize.ts) and every rendered object
 * validates against the Kubernetes API schema (kubernetes-models, offline; KEDA's and
 * prometheus-operator's models for ScaledObject and ServiceMonitor). Also: the worker's drain
 * settings agree with updraft.cfg, updraft.cfg has only known keys, the env variables are known keys.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@updraft/core';
import { CONFIG_OPTIONS, envVarName } from '@updraft/core/internal';
import { REPO_ROOT } from '../harness/index.js';
import { kustomize, parseRendered, type K8sObject } from '../deploy/kustomize.js';

const K8S = join(REPO_ROOT, 'deploy', 'kubernetes');
const OVERLAYS = ['dev', 'prod'] as const;
const kubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!kubectl) process.stdout.write('test/unit/deploy-kubernetes.test.ts: kubectl kustomize skipped: no kubectl (the overlays are rendered by the test itself)\n');

/** The model class of an object's kind: core and apps from kubernetes-models, KEDA and prometheus-operator from theirs. */
async function modelOf(o: K8sObject): Promise<new (data: unknown) => { validate(): void }> {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const module = group === 'keda.sh'
    ? `@kubernetes-models/keda/keda.sh/${version}/${o.kind}`
    : group === 'monitoring.coreos.com'
      ? `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${o.kind}`
      : `kubernetes-models/${group ? `${group}/` : ''}${version}/${o.kind}`;
  const m = (await import(module)) as Record<string, new (data: unknown) => { validate(): void }>;
  const model = m[o.kind];
  if (!model) throw new Error(`no model for ${o.apiVersion} ${o.kind}`);
  return model;
}

async function validateAll(objects: K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const o of objects) {
    try {
      new (await modelOf(o))(o).validate();
    } catch (err) {
      problems.push(`${o.kind}/${o.metadata.name}: ${(err as Error).message}`);
    }
  }
  return problems;
}

const byId = (objects: K8sObject[]): Map<string, K8sObject> => new Map(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]));

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const rendered = kustomize(join(K8S, 'overlays', overlay));
  const objects = byId(rendered);

  it('renders every object the deployment needs, and each validates against the API schema', async () => {
    const kinds = new Set(rendered.map((o) => o.kind));
    for (const kind of ['ConfigMap', 'StatefulSet', 'Deployment', 'Service', 'PodDisruptionBudget', 'Job', 'ServiceMonitor', 'ServiceAccount']) {
      expect(kinds, kind).toContain(kind);
    }
    expect(objects.get('StatefulSet/updraft-scheduler')?.spec).toMatchObject({ replicas: 2 });
    for (const name of ['updraft-webserver', 'updraft-monitor', 'updraft-worker']) expect(objects.has(`Deployment/${name}`), name).toBe(true);
    for (const name of ['updraft-scheduler', 'updraft-webserver', 'updraft-monitor']) expect(objects.has(`Service/${name}`), name).toBe(true);
    // Autoscaling: KEDA on pending messages in prod, the CPU HPA (the fallback without KEDA) in dev.
    expect(objects.has('ScaledObject/updraft-worker')).toBe(overlay === 'prod');
    expect(objects.has('HorizontalPodAutoscaler/updraft-worker')).toBe(overlay === 'dev');
    expect(await validateAll(rendered)).toEqual([]);
    // The validation can fail: a malformed copy of the worker Deployment is refused.
    const worker = objects.get('Deployment/updraft-worker')!;
    const broken = { ...worker, spec: { ...(worker.spec as object), replicas: 'two' } } as K8sObject;
    expect(await validateAll([broken])).toEqual([expect.stringMatching(/^Deployment\/updraft-worker: .*replicas/)]);
  });

  it('the same objects come out of kubectl kustomize', { skip: !kubectl }, () => {
    const out = execFileSync('kubectl', ['kustomize', join(K8S, 'overlays', overlay)], { encoding: 'utf8' });
    const theirs = byId(parseRendered(out));
    expect([...theirs.keys()].sort()).toEqual([...objects.keys()].sort());
    for (const [id, o] of theirs) expect(objects.get(id), id).toEqual(o);
  });

  it('drains workers gracefully: preStop, and a termination grace period above worker.shutdown_grace_period', () => {
    const cfg = loadConfig({ file: join(K8S, 'base', 'updraft.cfg'), env: {} });
    const pod = (objects.get('Deployment/updraft-worker')?.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    const container = (pod.containers as Array<Record<string, unknown>>)[0]!;
    expect(container.lifecycle).toMatchObject({ preStop: { exec: { command: expect.arrayContaining([expect.stringContaining('kill -TERM 1')]) } } });
    expect(pod.terminationGracePeriodSeconds).toBe(cfg.worker.shutdownGracePeriodMs / 1000 + 40);
    // The tasks' UID/GID come from the overlay's values; never root.
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number), runAsGroup: expect.any(Number), fsGroup: expect.any(Number) });
    expect((pod.securityContext as { runAsUser: number }).runAsUser).toBeGreaterThan(0);
    // Workers get the worker token and nothing of the database.
    expect(JSON.stringify(container.envFrom)).not.toContain('updraft-database');
  });
});

describe('configuration in the manifests', () => {
  it('updraft.cfg holds only known keys with valid values, and lists both schedulers for workers', () => {
    const cfg = loadConfig({ file: join(K8S, 'base', 'updraft.cfg'), env: {} });
    expect(cfg.worker.schedulerAddress).toHaveLength(2);
    expect(cfg.scheduler.grpcListen.port).toBe(50051);
  });

  it('every UPDRAFT__ variable in the manifests is a configuration key', () => {
    const known = new Set(CONFIG_OPTIONS.map((o) => envVarName(o)));
    const names = OVERLAYS.flatMap((o) => JSON.stringify(kustomize(join(K8S, 'overlays', o))).match(/UPDRAFT__[A-Z0-9_]+/g) ?? []);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    expect(readFileSync(join(K8S, 'base', 'secrets.yaml'), 'utf8')).toContain('UPDRAFT__SECURITY__WORKER_TOKEN');
  });
});
