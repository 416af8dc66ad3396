import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, renderPermissionTable } from '@updraft/core';
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

describe('docs/security.md', () => {
  it('holds the permission matrix of the code', () => {
    const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
    expect(doc).toContain(renderPermissionTable());
    expect(Object.keys(PERMISSIONS).length).toBeGreaterThan(10);
  });
});
