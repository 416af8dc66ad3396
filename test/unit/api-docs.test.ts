import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, renderPermissionTable } from '@updraft/core';
import { renderMonitorOpenApiDocument } from '@updraft/monitor';
import { renderOpenApiDocument } from '@updraft/webserver';

describe('docs/openapi.json', () => {
  it('is the document the routes generate (regenerate: npm run docs:openapi)', async () => {
    const committed = readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(await renderOpenApiDocument());
  });

  it('documents the Airflow paths with snake_case fields and problem documents for errors', async () => {
    const doc = JSON.parse(await renderOpenApiDocument()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }> }>>;
    };
    for (const path of ['/api/v1/dags', '/api/v1/dags/{dag_id}', '/api/v1/dags/{dag_id}/dagRuns', '/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const run = doc.paths['/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}']!.get!.responses['200']!.content!['application/json']!.schema;
    expect(Object.keys(run.properties!)).toEqual(expect.arrayContaining(['dag_run_id', 'logical_date', 'execution_date', 'conf', 'note']));
    for (const key of Object.keys(run.properties!)) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
    const notFound = doc.paths['/api/v1/dags/{dag_id}']!.get!.responses['404']!.content!['application/json']!.schema;
    expect(Object.keys(notFound.properties!)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'field']));
  });
});

describe('docs/monitor-openapi.json', () => {
  it('is the document the monitor\'s routes generate (regenerate: npm run docs:openapi), with the Flower-shaped paths', async () => {
    const committed = readFileSync(new URL('../../docs/monitor-openapi.json', import.meta.url), 'utf8');
    const rendered = await renderMonitorOpenApiDocument();
    expect(committed).toBe(rendered);
    const doc = JSON.parse(rendered) as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>> };
    for (const [path, method] of [['/api/workers', 'get'], ['/api/worker/{name}', 'get'], ['/api/queues/length', 'get'], ['/api/tasks', 'get'],
      ['/api/worker/drain/{name}', 'post'], ['/api/worker/resume/{name}', 'post'], ['/api/worker/shutdown/{name}', 'post'],
      ['/api/worker/pool/{action}/{name}', 'post'], ['/api/worker/queue/{action}/{name}', 'post'], ['/api/task/terminate/{dag}/{run}/{task}', 'post']] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    expect(doc.paths['/api/task/terminate/{dag}/{run}/{task}']!.post!.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['state', 'map_index', 'dag', 'run', 'task']));
  });
});

describe('docs/security.md', () => {
  it('holds the permission matrix of the code', () => {
    const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
    expect(doc).toContain(renderPermissionTable());
    expect(Object.keys(PERMISSIONS).length).toBeGreaterThan(10);
  });
});
