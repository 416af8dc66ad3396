/**
 * DAG versions over the REST API: a DAG file changed between two runs gives two stored versions;
 * each run names the version it was created with, and that version's file token serves the
 * source the run used (the old text for the first run, the new for the second), while the DAG
 * itself points at the latest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DagProcessor } from '@updraft/core';
import type { RunningWebserver } from '@updraft/webserver';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { call, createRoleUsers, startApi } from './api-support.js';

const dagFile = (command: string) => `import { dag } from '@updraft/sdk';

export default dag({ dagId: 'versioned', startDate: '2024-01-01' }, (d) => {
  d.bash('say', { command: '${command}' });
});
`;

let db: TestDatabase;
let web: RunningWebserver;
let folder: string;

async function parse(): Promise<void> {
  const processor = new DagProcessor(db.pool, { dagsFolder: folder });
  try {
    await processor.processDagsFolder();
  } finally {
    await processor.close();
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  folder = mkdtempSync(join(tmpdir(), 'updraft-dag-versions-'));
  writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
  await createRoleUsers(db.pool);
  web = await startApi({ db: db.pool });
});

afterAll(async () => {
  await web?.close();
  await db?.drop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('DAG versions', () => {
  it('keeps the source each run used after the file changed; lists the versions newest first', async () => {
    writeFileSync(join(folder, 'versioned.ts'), dagFile('echo old version'));
    await parse();
    const first = await call(web, '/api/v1/dags/versioned/dagRuns', { method: 'POST', body: { dag_run_id: 'first' } });
    expect(first.status, first.text).toBe(200);

    writeFileSync(join(folder, 'versioned.ts'), dagFile('echo new version'));
    await parse();
    const second = await call(web, '/api/v1/dags/versioned/dagRuns', { method: 'POST', body: { dag_run_id: 'second' } });
    expect(second.status, second.text).toBe(200);

    const runs = await Promise.all(['first', 'second'].map((id) => call(web, `/api/v1/dags/versioned/dagRuns/${id}`, { as: 'Viewer' })));
    const [v1, v2] = runs.map((r) => r.json.dag_version);
    expect(v1).toMatchObject({ fileloc: 'versioned.ts', file_token: expect.stringMatching(/^[0-9a-f]{64}$/), created_at: expect.any(String) });
    expect(v2.file_token).not.toBe(v1.file_token);
    expect(v2.dag_hash).not.toBe(v1.dag_hash);

    const source = async (token: string) => (await call(web, `/api/v1/dagSources/${token}`, { as: 'Viewer' })).json.content as string;
    expect(await source(v1.file_token)).toContain('echo old version');
    expect(await source(v2.file_token)).toContain('echo new version');
    // The DAG points at the latest version.
    expect((await call(web, '/api/v1/dags/versioned')).json.file_token).toBe(v2.file_token);

    const list = await call(web, '/api/v1/dags/versioned/dagVersions', { as: 'Viewer' });
    expect(list.status, list.text).toBe(200);
    expect(list.json.total_entries).toBe(2);
    expect(list.json.dag_versions.map((v: { dag_hash: string; version_number: number; is_current: boolean }) => [v.dag_hash, v.version_number, v.is_current]))
      .toEqual([[v2.dag_hash, 2, true], [v1.dag_hash, 1, false]]);
    const one = await call(web, `/api/v1/dags/versioned/dagVersions/${v1.dag_hash}`);
    expect(one.json).toMatchObject({ dag_id: 'versioned', dag_hash: v1.dag_hash, version_number: 1, file_token: v1.file_token, is_current: false });

    // Parsing the unchanged file again adds no version.
    await parse();
    expect((await call(web, '/api/v1/dags/versioned/dagVersions')).json.total_entries).toBe(2);
  });

  it('answers 404 for an unknown version and 400 for a malformed hash', async () => {
    const unknown = await call(web, `/api/v1/dags/versioned/dagVersions/${'0'.repeat(64)}`);
    expect(unknown.status, unknown.text).toBe(404);
    expect(unknown.json.field).toBe('path.dag_hash');
    const bad = await call(web, '/api/v1/dags/versioned/dagVersions/xyz');
    expect(bad.status, bad.text).toBe(400);
    expect(bad.json.field).toBe('path.dag_hash');
  });
});
