/**
 * Asset-driven DAGs on a real stack (PostgreSQL, nats-server, `updraft scheduler` and a worker):
 * a task's outlets record asset events when it succeeds; a DAG scheduled on assets gets an
 * asset_triggered run once each of its assets was updated since its last run (or once its anyOf /
 * allOf condition is met), with the triggering events kept on the run; a task adds events of
 * assets it names when it runs through an asset alias, which triggers the DAGs scheduled on it.
 */
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { tryLog } from './cases.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../e2e/stack.js';
import { call, createRoleUsers } from '../integration/api-support.js';
import { runCase } from './cases.js';

let stack: Stack;
let web: RunningWebserver;

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-semantics/assets.ts', 'test/fixtures/dags-semantics/asset-aliases.ts'], workers: [{ name: 'sem-asset-w1', concurrency: 4 }] });
  await createRoleUsers(stack.pool);
  web = await startWebserver({ listen: '127.0.0.1:0', db: stack.pool, logFolder: stack.logFolder });
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
});

interface RunRow { run_id: string; run_type: string; state: string }

async function runsOf(dagId: string): Promise<RunRow[]> {
  const { rows } = await stack.pool.query<RunRow>('SELECT run_id, run_type, state FROM dag_run WHERE dag_id = $1 ORDER BY id', [dagId]);
  return rows;
}

/** Bounded wait until the DAG has `n` runs, all ended (synchronisation, not a timing assertion). */
async function endedRuns(dagId: string, n: number): Promise<RunRow[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const runs = await runsOf(dagId);
    if (runs.length >= n && runs.every((r) => r.state === 'success' || r.state === 'failed')) return runs;
    if (Date.now() > deadline) throw new Error(`${dagId}: expected ${n} ended runs, have ${JSON.stringify(runs)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The source runs of the events that triggered a run. */
async function triggeringEvents(dagId: string, runId: string): Promise<string[]> {
  const { rows } = await stack.pool.query<{ source: string }>(
    `SELECT e.source_dag_id || '/' || e.source_run_id AS source FROM dag_run_asset_event l
     JOIN dag_run r ON r.id = l.dag_run_id JOIN asset_event e ON e.id = l.asset_event_id
     WHERE r.dag_id = $1 AND r.run_id = $2 ORDER BY e.id`, [dagId, runId]);
  return rows.map((r) => r.source);
}

describe('asset-driven DAGs', () => {
  it('a producer that succeeds twice triggers its consumer twice; a consumer of two assets waits for both', async () => {
    const first = await runCase(stack, 'sem_asset_sales');
    expect(first.runState).toBe('success');
    const [run1] = await endedRuns('sem_asset_on_sales', 1);
    expect(run1!.run_type).toBe('asset_triggered');
    expect(run1!.state).toBe('success');
    expect(await triggeringEvents('sem_asset_on_sales', run1!.run_id)).toEqual([`sem_asset_sales/${first.runId}`]);

    const second = await runCase(stack, 'sem_asset_sales');
    expect(second.runState).toBe('success');
    const runs = await endedRuns('sem_asset_on_sales', 2);
    expect(runs.map((r) => [r.run_type, r.state])).toEqual([['asset_triggered', 'success'], ['asset_triggered', 'success']]);
    expect(await triggeringEvents('sem_asset_on_sales', runs[1]!.run_id)).toEqual([`sem_asset_sales/${second.runId}`]);

    // sales was updated twice, stock never: the consumer of both has no run.
    expect(await runsOf('sem_asset_on_both')).toEqual([]);
    const stock = await runCase(stack, 'sem_asset_stock');
    expect(stock.runState).toBe('success');
    const [joined] = await endedRuns('sem_asset_on_both', 1);
    expect(joined!.state).toBe('success');
    expect(await triggeringEvents('sem_asset_on_both', joined!.run_id)).toEqual([
      `sem_asset_sales/${first.runId}`, `sem_asset_sales/${second.runId}`, `sem_asset_stock/${stock.runId}`]);
    // Its queue is consumed: one more sales update alone makes no second run.
    const third = await runCase(stack, 'sem_asset_sales');
    expect(third.runState).toBe('success');
    await endedRuns('sem_asset_on_sales', 3);
    const queued = await stack.pool.query("SELECT asset_event_id FROM asset_dag_run_queue WHERE target_dag_id = 'sem_asset_on_both'");
    expect(queued.rows).toHaveLength(1);
    expect(await runsOf('sem_asset_on_both')).toHaveLength(1);
  });

  it('a failed producer task records no event and triggers nothing', async () => {
    const result = await runCase(stack, 'sem_asset_broken');
    expect(result.runState).toBe('failed');
    const { rows } = await stack.pool.query("SELECT id FROM asset_event WHERE source_dag_id = 'sem_asset_broken'");
    expect(rows).toEqual([]);
    expect(await runsOf('sem_asset_on_broken')).toEqual([]);
  });

  it('the API lists assets and events, shows what triggered a run, and takes events made outside Updraft', async () => {
    const assets = await call(web, '/api/v1/assets?uri_pattern=updraft-sem/s', { as: 'Viewer' });
    expect(assets.status).toBe(200);
    expect(assets.json.assets.map((a: { uri: string }) => a.uri)).toEqual(['s3://updraft-sem/sales/', 's3://updraft-sem/stock/']);
    expect(assets.json.assets[0]).toMatchObject({
      consuming_dags: [{ dag_id: 'sem_asset_on_both' }, { dag_id: 'sem_asset_on_sales' }],
      producing_tasks: [{ dag_id: 'sem_asset_sales', task_id: 'load' }],
    });
    expect(Date.parse(assets.json.assets[0].last_event_at)).toBeGreaterThan(0);
    // An asset a DAG names is listed from the DAG's parse, before any event (its producer failed).
    const broken = await call(web, '/api/v1/assets?uri=s3://updraft-sem/broken/', { as: 'Viewer' });
    expect(broken.json).toMatchObject({ total_entries: 1, assets: [{ uri: 's3://updraft-sem/broken/', last_event_at: null,
      producing_tasks: [{ dag_id: 'sem_asset_broken', task_id: 'load' }], consuming_dags: [{ dag_id: 'sem_asset_on_broken' }] }] });
    expect((await call(web, '/api/v1/assets?uri=s3://updraft-sem/broken', { as: 'Viewer' })).json.total_entries).toBe(0);

    const runs = await runsOf('sem_asset_on_sales');
    const upstream = await call(web, `/api/v1/dags/sem_asset_on_sales/dagRuns/${encodeURIComponent(runs[0]!.run_id)}/upstreamAssetEvents`, { as: 'Viewer' });
    expect(upstream.status).toBe(200);
    expect(upstream.json.asset_events).toHaveLength(1);
    expect(upstream.json.asset_events[0]).toMatchObject({ uri: 's3://updraft-sem/sales/', source_dag_id: 'sem_asset_sales', source_task_id: 'load' });
    expect(upstream.json.asset_events[0].created_dagruns).toContainEqual({ dag_id: 'sem_asset_on_sales', dag_run_id: runs[0]!.run_id });

    // A Viewer may not post; a User may. The posted stock event completes sem_asset_on_both's queue
    // (a sales event is waiting there): the scheduler creates its second run.
    const refused = await call(web, '/api/v1/assets/events', { method: 'POST', as: 'Viewer', body: { asset_uri: 's3://updraft-sem/stock/' } });
    expect(refused.status).toBe(403);
    const bad = await call(web, '/api/v1/assets/events', { method: 'POST', as: 'User', body: { asset_uri: 'has space' } });
    expect(bad.status).toBe(400);
    const posted = await call(web, '/api/v1/assets/events', { method: 'POST', as: 'User', body: { asset_uri: 's3://updraft-sem/stock/', extra: { by: 'vendor' } } });
    expect(posted.status).toBe(200);
    expect(posted.json).toMatchObject({ uri: 's3://updraft-sem/stock/', extra: { by: 'vendor' }, source_dag_id: null });
    const both = await endedRuns('sem_asset_on_both', 2);
    expect(both[1]!.run_type).toBe('asset_triggered');
    const events = await call(web, '/api/v1/assets/events?asset_uri=s3://updraft-sem/stock/&limit=1', { as: 'Viewer' });
    expect(events.json.asset_events[0]).toMatchObject({ id: posted.json.id, created_dagruns: [{ dag_id: 'sem_asset_on_both', dag_run_id: both[1]!.run_id }] });
  });

  it('a DAG scheduled on anyOf(orders, allOf(returns, refunds)) runs when orders, or returns and refunds both, were updated', async () => {
    const post = async (name: string) => {
      const r = await call(web, '/api/v1/assets/events', { method: 'POST', as: 'User', body: { asset_uri: `s3://updraft-sem/cond/${name}/` } });
      expect(r.status).toBe(200);
    };
    const triggeredBy = async (runId: string) => (await stack.pool.query<{ uri: string }>(
      `SELECT a.uri FROM dag_run_asset_event l JOIN dag_run r ON r.id = l.dag_run_id JOIN asset_event e ON e.id = l.asset_event_id
       JOIN asset a ON a.id = e.asset_id WHERE r.dag_id = 'sem_asset_condition' AND r.run_id = $1 ORDER BY e.id`, [runId])).rows.map((x) => x.uri);
    // returns alone meets nothing; with refunds, the allOf is met: one run, triggered by both.
    await post('returns');
    await post('refunds');
    const first = await endedRuns('sem_asset_condition', 1);
    expect(first).toHaveLength(1);
    expect(await triggeredBy(first[0]!.run_id)).toEqual(['s3://updraft-sem/cond/returns/', 's3://updraft-sem/cond/refunds/']);
    // orders alone meets the anyOf.
    await post('orders');
    const second = await endedRuns('sem_asset_condition', 2);
    expect(second.map((r) => r.run_type)).toEqual(['asset_triggered', 'asset_triggered']);
    expect(await triggeredBy(second[1]!.run_id)).toEqual(['s3://updraft-sem/cond/orders/']);
    // The API says what it is scheduled on.
    const dagJson = await call(web, '/api/v1/dags/sem_asset_condition', { as: 'Viewer' });
    expect(dagJson.json).toMatchObject({
      schedule_interval: null,
      timetable_description: 'Triggered by assets: s3://updraft-sem/cond/orders/ | (s3://updraft-sem/cond/returns/ & s3://updraft-sem/cond/refunds/)',
    });
    const list = await call(web, '/api/v1/dags/sem_asset_on_both', { as: 'Viewer' });
    expect(list.json.timetable_description).toBe('Triggered by assets: s3://updraft-sem/sales/ & s3://updraft-sem/stock/');
    // So does `updraft dags list`.
    const cli = await stack.cli(['dags', 'list']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^sem_asset_condition\s+Triggered by assets: s3:\/\/updraft-sem\/cond\/orders\/ \| \(s3:\/\/updraft-sem\/cond\/returns\/ & s3:\/\/updraft-sem\/cond\/refunds\/\)\s/m);
  });

  it('a DAG on timetables.assetOrTime keeps its timed schedule and also runs when its asset is updated', async () => {
    const posted = await call(web, '/api/v1/assets/events', { method: 'POST', as: 'User', body: { asset_uri: 's3://updraft-sem/either/' } });
    expect(posted.status).toBe(200);
    const runs = await endedRuns('sem_asset_or_time', 1);
    expect(runs.map((r) => r.run_type)).toEqual(['asset_triggered']);
    const dagJson = await call(web, '/api/v1/dags/sem_asset_or_time', { as: 'Viewer' });
    expect(dagJson.json.next_dagrun).toBe('2028-01-01T00:00:00.000Z');
    expect(dagJson.json.timetable_description).toMatch(/, or when triggered by assets: s3:\/\/updraft-sem\/either\/$/);
  });

  it("a run's tasks read the events that triggered it: the file a posted event's extra names, the task that recorded another", async () => {
    const file = 's3://updraft-sem/landed/2026-12-07/orders.csv';
    const posted = await call(web, '/api/v1/assets/events', { method: 'POST', as: 'User', body: { asset_uri: 's3://updraft-sem/landed/', extra: { file } } });
    expect(posted.status).toBe(200);
    const [first] = await endedRuns('sem_asset_ingest', 1);
    expect(first).toMatchObject({ run_type: 'asset_triggered', state: 'success' });
    const read = async (runId: string) => (await stack.pool.query<{ value: unknown }>(
      "SELECT value FROM xcom WHERE dag_id = 'sem_asset_ingest' AND run_id = $1 AND task_id = 'read' AND key = 'return_value'", [runId])).rows[0]?.value;
    expect(await read(first!.run_id)).toEqual([{ file, from: 'api' }]);
    // The same in a bash task's template (Airflow's triggering_asset_events).
    expect(await tryLog(stack, 'sem_asset_ingest', first!.run_id, 'echo_file')).toContain(`file=${file} events=1`);
    // An event a task's outlet recorded names that task, with the extra the task attached (ctx.outletEvents).
    await stack.trigger('sem_asset_landed');
    const [, second] = await endedRuns('sem_asset_ingest', 2);
    expect(second!.state).toBe('success');
    expect(await read(second!.run_id)).toEqual([{ file: 's3://updraft-sem/landed/from-task.csv', from: 'sem_asset_landed.land' }]);
    expect(await tryLog(stack, 'sem_asset_ingest', second!.run_id, 'echo_file')).toContain('file=s3://updraft-sem/landed/from-task.csv events=1');
    const events = await call(web, '/api/v1/assets/events?asset_uri=s3://updraft-sem/landed/&limit=1', { as: 'Viewer' });
    expect(events.json.asset_events[0]).toMatchObject({ source_task_id: 'land', extra: { file: 's3://updraft-sem/landed/from-task.csv', rows: 3 } });
  });

  it('a task that attaches an extra to an asset that is not one of its outlets fails, naming both; no event is recorded', async () => {
    const runId = await stack.trigger('sem_asset_wrong_outlet');
    const [run] = await endedRuns('sem_asset_wrong_outlet', 1);
    expect(run!.state).toBe('failed');
    const { rows } = await stack.pool.query<{ error: string }>(
      "SELECT error FROM task_instance WHERE dag_id = 'sem_asset_wrong_outlet' AND run_id = $1 AND task_id = 'land'", [runId]);
    expect(rows[0]!.error).toContain("ctx.outletEvents('s3://updraft-sem/elsewhere/'): not an outlet of task 'land' (its outlets: s3://updraft-sem/landed/)");
    const recorded = await stack.pool.query("SELECT 1 FROM asset_event WHERE source_dag_id = 'sem_asset_wrong_outlet'");
    expect(recorded.rowCount).toBe(0);
  });

  it('a task adds an event through an alias: the DAG scheduled on the alias runs, and from then on for any update of the asset it resolved to', async () => {
    const file = 's3://updraft-sem/alias/export-1.csv';
    const before = await call(web, '/api/v1/dags/sem_alias_consumer', { as: 'Viewer' });
    expect(before.json.timetable_description).toBe('Triggered by assets: alias:sem-daily-export');
    expect(await runsOf('sem_alias_consumer')).toEqual([]);
    // The alias is listed from its DAGs' parse, before any event went through it.
    const aliasOf = async () => (await call(web, '/api/v1/assets/aliases?name_pattern=sem-daily', { as: 'Viewer' })).json;
    const producers = [{ dag_id: 'sem_alias_export', task_id: 'export' }, { dag_id: 'sem_alias_wrong', task_id: 'export' }];
    expect(await aliasOf()).toEqual({ total_entries: 1, asset_aliases: [
      { name: 'sem-daily-export', assets: [], consuming_dags: [{ dag_id: 'sem_alias_consumer' }], producing_tasks: producers },
    ] });
    const badPage = await call(web, '/api/v1/assets/aliases?limit=0', { as: 'Viewer' });
    expect(badPage.status).toBe(400);
    expect(badPage.text).toContain('limit');

    const exported = await runCase(stack, 'sem_alias_export');
    expect(exported.runState).toBe('success');
    const [first] = await endedRuns('sem_alias_consumer', 1);
    expect(first).toMatchObject({ run_type: 'asset_triggered', state: 'success' });
    const read = async (runId: string) => (await stack.pool.query<{ value: unknown }>(
      "SELECT value FROM xcom WHERE dag_id = 'sem_alias_consumer' AND run_id = $1 AND task_id = 'read' AND key = 'return_value'", [runId])).rows[0]?.value;
    expect(await read(first!.run_id)).toEqual([{ uri: file, rows: 7, from: 'sem_alias_export', via: ['sem-daily-export'] }]);
    const events = await call(web, `/api/v1/assets/events?asset_uri=${encodeURIComponent(file)}`, { as: 'Viewer' });
    expect(events.json.asset_events).toHaveLength(1);
    expect(events.json.asset_events[0]).toMatchObject({ source_dag_id: 'sem_alias_export', source_task_id: 'export', extra: { rows: 7 }, source_aliases: ['sem-daily-export'] });
    const resolved = await stack.pool.query<{ name: string; uri: string }>(
      'SELECT l.name, a.uri FROM asset_alias_asset x JOIN asset_alias l ON l.id = x.alias_id JOIN asset a ON a.id = x.asset_id');
    expect(resolved.rows).toEqual([{ name: 'sem-daily-export', uri: file }]);
    expect((await aliasOf()).asset_aliases[0].assets).toEqual([{ uri: file }]);
    // The API lists the asset with its alias, the task that added it through the alias and the DAG scheduled on the alias.
    const listed = await call(web, `/api/v1/assets?uri=${encodeURIComponent(file)}`, { as: 'Viewer' });
    expect(listed.json.assets).toEqual([expect.objectContaining({
      uri: file, aliases: [{ name: 'sem-daily-export' }], consuming_dags: [{ dag_id: 'sem_alias_consumer' }],
      producing_tasks: [{ dag_id: 'sem_alias_export', task_id: 'export' }, { dag_id: 'sem_alias_touch', task_id: 'touch' }, { dag_id: 'sem_alias_wrong', task_id: 'export' }],
    })]);

    // The DAG dependencies graph: the producer adds through the alias, which resolved to the file and schedules the consumer.
    const graph = await call(web, '/ui/dependencies', { as: 'Viewer' });
    const aliasEdges = graph.json.edges.filter((e: { source: string; target: string }) => e.source === 'alias:sem-daily-export' || e.target === 'alias:sem-daily-export');
    expect(aliasEdges).toEqual([
      { kind: 'alias_outlet', source: 'dag:sem_alias_export', target: 'alias:sem-daily-export', task_id: 'export' },
      { kind: 'alias_outlet', source: 'dag:sem_alias_wrong', target: 'alias:sem-daily-export', task_id: 'export' },
      { kind: 'alias_schedule', source: 'alias:sem-daily-export', target: 'dag:sem_alias_consumer', task_id: null },
      { kind: 'resolves', source: 'alias:sem-daily-export', target: `asset:${file}`, task_id: null },
    ]);
    expect(graph.json.nodes).toContainEqual({ id: 'alias:sem-daily-export', kind: 'alias', label: 'sem-daily-export', exists: true, is_active: true, is_paused: false });

    // The alias resolved to the file: an update of the file by another DAG, without the alias, runs the consumer too.
    const touched = await runCase(stack, 'sem_alias_touch');
    expect(touched.runState).toBe('success');
    const runs = await endedRuns('sem_alias_consumer', 2);
    expect(runs.map((r) => [r.run_type, r.state])).toEqual([['asset_triggered', 'success'], ['asset_triggered', 'success']]);
    expect(await read(runs[1]!.run_id)).toEqual([{ uri: file, rows: null, from: 'sem_alias_touch', via: [] }]);
    // The file's two events: only the first came through the alias (REST source_aliases, and the source_alias filter).
    const both = await call(web, `/api/v1/assets/events?asset_uri=${encodeURIComponent(file)}`, { as: 'Viewer' });
    expect(both.json.asset_events.map((e: { source_dag_id: string; source_aliases: string[] }) => [e.source_dag_id, e.source_aliases]))
      .toEqual([['sem_alias_touch', []], ['sem_alias_export', ['sem-daily-export']]]);
    const viaAlias = await call(web, '/api/v1/assets/events?source_alias=sem-daily-export', { as: 'Viewer' });
    expect(viaAlias.json).toMatchObject({ total_entries: 1, asset_events: [{ uri: file, source_dag_id: 'sem_alias_export' }] });
  });

  it('a task that adds an event through an alias that is not one of its outlets fails, naming both; no event is recorded', async () => {
    const runId = await stack.trigger('sem_alias_wrong');
    const [run] = await endedRuns('sem_alias_wrong', 1);
    expect(run!.state).toBe('failed');
    const { rows } = await stack.pool.query<{ error: string }>(
      "SELECT error FROM task_instance WHERE dag_id = 'sem_alias_wrong' AND run_id = $1 AND task_id = 'export'", [runId]);
    expect(rows[0]!.error).toContain("ctx.outletEvents(assetAlias('sem-elsewhere')): not an outlet of task 'export' (its aliases: sem-daily-export)");
    const recorded = await stack.pool.query("SELECT 1 FROM asset_event WHERE source_dag_id = 'sem_alias_wrong'");
    expect(recorded.rowCount).toBe(0);
  });
});
