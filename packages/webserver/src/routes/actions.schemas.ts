/**
 * Schemas of the routes that change runs and task instances (Airflow 2's UpdateDagRunState,
 * ClearDagRun, ClearTaskInstances, UpdateTaskInstance, TaskInstanceReference).
 */
import { Type } from 'typebox';
import { DateTime, idParam } from './common.schemas.js';

export const UpdateDagRunStateBody = Type.Object({
  state: Type.Union([Type.Literal('success'), Type.Literal('failed'), Type.Literal('queued')], {
    description: 'success: its unfinished task instances succeed too; failed: its running ones fail, the other unfinished ones are skipped; queued: a scheduler starts it again. A running run\'s teardown tasks that have not ended are left to run: the run stays running until they end, then takes the state set.',
  }),
}, { additionalProperties: false });

export const ClearDagRunBody = Type.Object({
  dry_run: Type.Boolean({ default: true, description: 'Only answer what would be cleared (default true, as Airflow).' }),
  only_failed: Type.Boolean({ default: false, description: 'Only failed and upstream_failed task instances.' }),
}, { additionalProperties: false });

export const ClearTaskInstancesBody = Type.Object({
  dry_run: Type.Boolean({ default: true, description: 'Only answer what would be cleared (default true, as Airflow).' }),
  task_ids: Type.Optional(Type.Array(Type.Union([
    idParam('task id', 'A task id: all its instances.'),
    Type.Tuple([idParam('task id', 'A task id.'), Type.Integer({ minimum: 0, description: 'A map index.' })], { description: '[task_id, map_index]: only that instance of a mapped task.' }),
  ]), { minItems: 1, maxItems: 1000, description: 'Only these tasks (default all): a task id, or a [task_id, map_index] pair for one instance of a mapped task (as Airflow).' })),
  start_date: Type.Optional(DateTime('Runs with a logical date at or after this instant.')),
  end_date: Type.Optional(DateTime('Runs with a logical date at or before this instant.')),
  only_failed: Type.Boolean({ default: true, description: 'Only failed and upstream_failed instances (default true, as Airflow).' }),
  only_running: Type.Boolean({ default: false, description: 'Only running instances.' }),
  include_downstream: Type.Boolean({ default: false, description: 'Also the downstream tasks of those selected.' }),
  include_upstream: Type.Boolean({ default: false, description: 'Also the upstream tasks of those selected.' }),
  include_past: Type.Boolean({ default: false, description: 'Also the runs before the range (or before dag_run_id\'s logical date).' }),
  include_future: Type.Boolean({ default: false, description: 'Also the runs after the range (or after dag_run_id\'s logical date).' }),
  dag_run_id: Type.Optional(idParam('run id', 'Only this run (not with start_date / end_date).')),
  reset_dag_runs: Type.Optional(Type.Boolean({ description: 'Accepted for Airflow clients; the finished runs of cleared instances always go back to queued (running ones stay running).' })),
  include_subdags: Type.Optional(Type.Boolean({ description: 'Accepted for Airflow clients; Updraft has no subdags.' })),
  include_parentdag: Type.Optional(Type.Boolean({ description: 'Accepted for Airflow clients; Updraft has no subdags.' })),
}, { additionalProperties: false });

export const UpdateTaskInstanceBody = Type.Object({
  new_state: Type.Union([Type.Literal('success'), Type.Literal('failed')], { description: 'The state to set.' }),
  dry_run: Type.Boolean({ default: true, description: 'Only answer what would change (default true, as Airflow).' }),
}, { additionalProperties: false });

export const TaskInstanceReference = Type.Object({
  task_id: Type.String(),
  dag_id: Type.String(),
  dag_run_id: Type.String(),
  execution_date: DateTime(),
  map_index: Type.Integer(),
  state: Type.Union([Type.String(), Type.Null()], { description: 'The state it has now (before the change, in a dry run).' }),
});

export const TaskInstanceReferenceCollection = Type.Object({ task_instances: Type.Array(TaskInstanceReference), total_entries: Type.Integer() });
