/**
 * XCom storage (core xcomSql) against a real PostgreSQL: a value comes back as the task stored it,
 * its object keys in their order (as Airflow's JSON XCom keeps a dict's order), whether read alone,
 * as a mapped task's list, as the element a mapped instance handles, or listed by the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dagRunsSql, mapExpansionSql, taskInstancesOf, xcomSql } from '@updraft/core';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { makeDag, storeDag } from './engine-support.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe('XCom values', () => {
  it('keep the order of their object keys, alone, as a mapped task\'s list and as a mapped element', async () => {
    const dagId = 'xcom_order';
    const dag = makeDag({ dagId, tasks: [{ taskId: 'one' }, { taskId: 'many' }] });
    const hash = await storeDag(db.pool, dag);
    const at = new Date(Date.UTC(2026, 0, 1));
    const runId = 'r1';
    const dagRunId = await dagRunsSql.insertDagRun(db.pool, {
      dagId, runId, runType: 'manual', logicalDate: at, dataIntervalStart: at, dataIntervalEnd: at, conf: {}, dagHash: hash, tasks: taskInstancesOf(dag),
    });
    expect(await mapExpansionSql.expandMappedTask(db.pool, { dagRunId: dagRunId!, dagId, runId }, 'many', 2)).toBe(true);
    const row = '{"zeta":1,"alpha":{"b":2,"a":[3,{"y":1,"x":0}]},"mid":"m"}';
    const rows = `[${row},{"b":1,"a":2}]`;
    await xcomSql.pushXComs(db.pool, [
      { dagId, runId, taskId: 'one', mapIndex: -1, key: 'return_value', valueJson: rows },
      { dagId, runId, taskId: 'many', mapIndex: 0, key: 'return_value', valueJson: row },
      { dagId, runId, taskId: 'many', mapIndex: 1, key: 'return_value', valueJson: '{"b":1,"a":2}' },
    ]);
    const pulled = await xcomSql.pullXComs(db.pool, [
      { dagId, runId, taskId: 'one', key: 'return_value', mapIndex: null },
      { dagId, runId, taskId: 'many', key: 'return_value', mapIndex: null },
      { dagId, runId, taskId: 'many', key: 'return_value', mapIndex: 0 },
    ]);
    // Compared as JSON.stringify of the parsed value: the text may differ in spaces, never in order.
    const same = (json: string | null | undefined) => JSON.stringify(JSON.parse(json ?? 'null'));
    expect(pulled.map(same)).toEqual([rows, rows, row]);
    const items = await xcomSql.mappedItems(db.pool, [
      { dagId, runId, sourceTaskId: 'one', sourceMapped: false, index: 0 },
      { dagId, runId, sourceTaskId: 'many', sourceMapped: true, index: 1 },
    ]);
    expect(items.map(same)).toEqual([row, '{"b":1,"a":2}']);
    const listed = await xcomSql.xcomEntries(db.pool, { dagId, runId, taskId: 'one' });
    expect(listed.map((e) => same(e.valueJson))).toEqual([rows]);
  });
});
