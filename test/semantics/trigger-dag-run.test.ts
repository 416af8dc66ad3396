/**
 * d.triggerDagRun on a real stack (PostgreSQL, nats-server, `updraft scheduler` and a worker
 * process): the scheduler creates the other DAG's run with the rendered conf, run id and logical
 * date, stores XCom `trigger_run_id`, and either succeeds at once or waits deferred (no worker)
 * until the triggered run ends; a run already there fails the task, skips it or is reset; a
 * trigger that cannot be made fails with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { caseResult, runCase, taskStates, xcomValues } from './cases.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-semantics/trigger-dag-run.ts'], workers: [{ name: 'sem-trig-w1', concurrency: 2 }],
    // The scheduler's variables (and a connection) the trigger templates name.
    env: {
      UPDRAFT_VAR_REGION: 'eu-west-1', UPDRAFT_VAR_LIMITS: '{"rows": 5}', UPDRAFT_VAR_API_PASSWORD: 'hunter2-secret',
      UPDRAFT_CONN_WAREHOUSE: 'postgres://etl:pw-secret@db.example:5432/dw',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
});

interface RunRow { run_id: string; run_type: string; logical_date: Date; conf: Record<string, unknown>; state: string }

async function targetRun(runId: string): Promise<RunRow> {
  const { rows } = await stack.pool.query<RunRow>(
    "SELECT run_id, run_type, logical_date, conf, state FROM dag_run WHERE dag_id = 'sem_trig_target' AND run_id = $1", [runId]);
  if (rows[0] === undefined) throw new Error(`sem_trig_target has no run '${runId}'`);
  return rows[0];
}

/** The trigger task's tries: no worker took any. */
async function triggerTries(dagId: string, runId: string): Promise<Array<{ try_number: number; state: string; worker_id: string | null; error: string | null }>> {
  const { rows } = await stack.pool.query<{ try_number: number; state: string; worker_id: string | null; error: string | null }>(
    "SELECT try_number, state, worker_id, error FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = 'trigger' ORDER BY try_number",
    [dagId, runId]);
  return rows;
}

describe('d.triggerDagRun', () => {
  it('starts the other DAG\'s run with the rendered conf (an upstream\'s XCom too); the task succeeds at once and XCom trigger_run_id names the run', async () => {
    const result = await runCase(stack, 'sem_trig_fire', { logicalDate: new Date('2026-05-04T10:00:00Z') });
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ prepare: 'success', trigger: 'success', after: 'success' });
    const xcom = await xcomValues(stack.pool, 'sem_trig_fire', result.runId);
    const childId = xcom['trigger:trigger_run_id'];
    expect(typeof childId).toBe('string');
    expect(childId).toMatch(/^manual__/);
    // The downstream task read it through XCom.
    expect(xcom['after:return_value']).toBe(childId);
    const child = await targetRun(childId as string);
    expect(child.run_type).toBe('manual');
    expect(child.conf).toEqual({ day: '2026-05-04', from: result.runId, nested: { n: 1, list: ['sem_trig_fire', true] }, prepared: 'ready', region: 'eu-west-1', rows: '5' });
    // The triggered run runs on its own: its task sees the conf.
    const childResult = await caseResult(stack, 'sem_trig_target', childId as string);
    expect(childResult.runState).toBe('success');
    expect((await xcomValues(stack.pool, 'sem_trig_target', childId as string))['work:return_value']).toEqual(child.conf);
    expect(await triggerTries('sem_trig_fire', result.runId)).toEqual([{ try_number: 1, state: 'success', worker_id: null, error: null }]);
    // The event log says the scheduler triggered it, for which task of which run.
    const { rows: events } = await stack.pool.query<{ event: string; owner: string; extra: unknown }>(
      "SELECT event, owner, extra FROM event_log WHERE dag_id = 'sem_trig_target' AND run_id = $1", [childId]);
    expect(events).toEqual([{
      event: 'trigger', owner: 'scheduler',
      extra: { by_dag_id: 'sem_trig_fire', by_run_id: result.runId, by_task_id: 'trigger', try_number: 1, conf_keys: ['day', 'from', 'rows', 'nested', 'region', 'prepared'] },
    }]);
  });

  it('waitForCompletion: deferred until the triggered run (same logical date, named after this run) succeeds', async () => {
    const logicalDate = new Date('2026-05-05T00:00:00Z');
    const result = await runCase(stack, 'sem_trig_wait', { logicalDate });
    expect(result.runState).toBe('success');
    expect(result.states).toEqual({ trigger: 'success', after: 'success' });
    const child = await targetRun(`from__${result.runId}`);
    expect(child.state).toBe('success');
    expect(child.logical_date.toISOString()).toBe(logicalDate.toISOString());
    expect(child.conf).toEqual({ fail: 'no' });
    const tries = await triggerTries('sem_trig_wait', result.runId);
    expect(tries).toEqual([{ try_number: 1, state: 'success', worker_id: null, error: null }]);
    // It ended with the child, not before: the child's task ended first.
    const { rows } = await stack.pool.query<{ trigger_end: Date; child_end: Date }>(
      `SELECT (SELECT ended_at FROM task_instance WHERE dag_id = 'sem_trig_wait' AND run_id = $1 AND task_id = 'trigger') AS trigger_end,
              (SELECT ended_at FROM task_instance WHERE dag_id = 'sem_trig_target' AND run_id = $2 AND task_id = 'work') AS child_end`,
      [result.runId, `from__${result.runId}`]);
    expect(rows[0]!.trigger_end.getTime()).toBeGreaterThanOrEqual(rows[0]!.child_end.getTime());
  });

  it('waitForCompletion: fails when the triggered run fails, downstream upstream_failed', async () => {
    const logicalDate = new Date('2026-05-06T00:00:00Z');
    const result = await runCase(stack, 'sem_trig_wait', { logicalDate, conf: { fail: 'yes' } });
    expect(result.runState).toBe('failed');
    expect(result.states).toEqual({ trigger: 'failed', after: 'upstream_failed' });
    expect(result.errors.trigger).toBe("DAG 'sem_trig_target' run for logical date 2026-05-06T00:00:00Z ended failed");
    expect((await targetRun(`from__${result.runId}`)).state).toBe('failed');
  });

  it('a run id already there fails the task, naming the run and the options that would have helped', async () => {
    const first = await runCase(stack, 'sem_trig_plain');
    expect(first.states).toEqual({ trigger: 'success' });
    expect(await caseResult(stack, 'sem_trig_target', 'plain_child')).toMatchObject({ runState: 'success' });
    const second = await runCase(stack, 'sem_trig_plain');
    expect(second.runState).toBe('failed');
    expect(second.states).toEqual({ trigger: 'failed' });
    expect(second.errors.trigger).toMatch(/^DAG 'sem_trig_target' already has a run with run id 'plain_child' \(resetDagRun clears it; skipWhenAlreadyExists skips this task\)$/);
    const { rows } = await stack.pool.query("SELECT 1 FROM dag_run WHERE dag_id = 'sem_trig_target' AND run_id = 'plain_child'");
    expect(rows).toHaveLength(1);
  });

  it('skipWhenAlreadyExists: the second trigger is skipped, and so is what follows', async () => {
    expect((await runCase(stack, 'sem_trig_skip')).states).toEqual({ trigger: 'success', after: 'success' });
    const second = await runCase(stack, 'sem_trig_skip');
    expect(second.runState).toBe('success');
    expect(second.states).toEqual({ trigger: 'skipped', after: 'skipped' });
    expect(second.errors.trigger).toMatch(/already has a run with run id 'skip_child'/);
  });

  it('resetDagRun: the second trigger clears the run there, waits for it to run again, and succeeds', async () => {
    const first = await runCase(stack, 'sem_trig_reset');
    expect(first.states).toEqual({ trigger: 'success' });
    expect((await taskStates(stack.pool, 'sem_trig_target', 'reset_child')).tries).toEqual({ work: 1 });
    const second = await runCase(stack, 'sem_trig_reset');
    expect(second.runState).toBe('success');
    expect(second.states).toEqual({ trigger: 'success' });
    const child = await taskStates(stack.pool, 'sem_trig_target', 'reset_child');
    expect(child).toMatchObject({ states: { work: 'success' }, tries: { work: 2 } });
    expect((await xcomValues(stack.pool, 'sem_trig_reset', second.runId))['trigger:trigger_run_id']).toBe('reset_child');
    const { rows: events } = await stack.pool.query<{ event: string; owner: string }>(
      "SELECT event, owner FROM event_log WHERE dag_id = 'sem_trig_target' AND run_id = 'reset_child' ORDER BY id");
    expect(events).toEqual([{ event: 'trigger', owner: 'scheduler' }, { event: 'dag_run.clear', owner: 'scheduler' }]);
  });

  it('a trigger that cannot be made fails with the reason: no such DAG, a template that does not render, a secret in the conf', async () => {
    const before = await stack.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM dag_run WHERE dag_id = 'sem_trig_target'");
    const result = await runCase(stack, 'sem_trig_broken');
    expect(result.runState).toBe('failed');
    expect(result.states).toEqual({ absent: 'failed', bad_template: 'failed', secret_var: 'failed', connection: 'failed' });
    expect(result.errors.absent).toMatch(/^could not trigger DAG 'sem_trig_absent': DAG 'sem_trig_absent' not found/);
    expect(result.errors.bad_template).toMatch(/sem_trig_broken.*bad_template.*conf\.x/);
    expect(result.errors.bad_template).toMatch(/no_such_value/);
    expect(result.errors.secret_var).toMatch(/variable 'api_password' holds a secret .* cannot be rendered into a triggered run/);
    expect(result.errors.connection).toMatch(/'\{\{ conn\.warehouse\.\.\. \}\}' cannot be rendered into a triggered run/);
    // Neither reason shows the secret.
    expect(JSON.stringify(result.errors)).not.toMatch(/hunter2|pw-secret/);
    const after = await stack.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM dag_run WHERE dag_id = 'sem_trig_target'");
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
