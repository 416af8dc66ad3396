/**
 * Asset events are recorded in the same statement as the success of the task that produces them
 * (SchedulerEngine against a real PostgreSQL): a success always has its events, a failed try has
 * none, and when the events cannot be written the success is not recorded either (the worker's
 * report fails and is retried), so no crash or error in between can leave one without the other.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchedulerEngine } from '@updraft/scheduler';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { claim, makeDag, RecordingPublisher, report, silentLogger, storeDag, tiStates } from './engine-support.js';

let db: TestDatabase;
let publisher: RecordingPublisher;
let engine: SchedulerEngine;
const SALES = 's3://bucket/sales/';

beforeEach(async () => {
  db = await createTestDatabase();
  publisher = new RecordingPublisher();
  engine = new SchedulerEngine({ pool: db.pool, publisher, logger: silentLogger, tickIntervalMs: 60_000 });
  await storeDag(db.pool, makeDag({ dagId: 'produce', tasks: [{ taskId: 'load', outlets: [SALES], retries: 1 }] }));
  await storeDag(db.pool, makeDag({ dagId: 'consume', assetSchedule: [SALES], tasks: [{ taskId: 'report' }] }));
});

afterEach(async () => {
  await engine.stop();
  await db.drop();
});

/** The events, each with the DAGs it reached: still queued for them, or consumed by a run of theirs. */
interface EventRow { uri: string; source_run_id: string; source_task_id: string; source_try_number: number; reached: string[] }
async function events(): Promise<EventRow[]> {
  const { rows } = await db.pool.query<EventRow>(
    `SELECT a.uri, e.source_run_id, e.source_task_id, e.source_try_number,
            ARRAY(SELECT q.target_dag_id FROM asset_dag_run_queue q WHERE q.asset_event_id = e.id
                  UNION SELECT r.dag_id FROM dag_run_asset_event l JOIN dag_run r ON r.id = l.dag_run_id WHERE l.asset_event_id = e.id) AS reached
       FROM asset_event e JOIN asset a ON a.id = e.asset_id ORDER BY e.id`);
  return rows;
}

describe('asset events of a producing task', () => {
  it('a success records its event (queued for the consumer, whose run takes it) in the same statement; a failed try records none; a repeated report adds none', async () => {
    const created = await engine.triggerDagRun({ dagId: 'produce' });
    const [first] = publisher.forTask('load');
    await claim(engine, first!);
    expect(await report(engine, first!, false)).toEqual({ state: 'up_for_retry' });
    expect(await events()).toEqual([]);

    await engine.tick(); // the retry delay (0) has passed: try 2 is queued
    const second = publisher.forTask('load').at(-1)!;
    expect(second.tryNumber).toBe(2);
    await claim(engine, second);
    expect(await report(engine, second, true)).toEqual({ state: 'success' });
    expect(await events()).toEqual([{ uri: SALES, source_run_id: created.runId, source_task_id: 'load', source_try_number: 2, reached: ['consume'] }]);
    // The same success reported again (its answer was lost) is answered again, and records nothing more.
    expect(await report(engine, second, true)).toEqual({ state: 'success' });
    expect(await events()).toHaveLength(1);
  });

  it('when the event cannot be written, the success is not recorded either; the repeated report then records both', async () => {
    const created = await engine.triggerDagRun({ dagId: 'produce' });
    const [m] = publisher.forTask('load');
    await claim(engine, m!);
    // A real failure inside PostgreSQL (as a full disk or a lost connection would be): inserting an event raises.
    await db.pool.query(`CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no space left (test)'; END $$`);
    await db.pool.query('CREATE TRIGGER refuse_event BEFORE INSERT ON asset_event FOR EACH ROW EXECUTE FUNCTION refuse_event()');
    await expect(report(engine, m!, true)).rejects.toThrow(/no space left \(test\)/);
    expect(await tiStates(db.pool, created.runId)).toEqual({ load: 'running' });
    expect(await events()).toEqual([]);

    await db.pool.query('DROP TRIGGER refuse_event ON asset_event');
    expect(await report(engine, m!, true)).toEqual({ state: 'success' });
    expect(await tiStates(db.pool, created.runId)).toEqual({ load: 'success' });
    expect((await events()).map((e) => [e.source_run_id, e.source_try_number])).toEqual([[created.runId, 1]]);
  });
});
