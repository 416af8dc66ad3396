/**
 * The API's shapes the UI works with, from the generated types (./schema.ts). The few resources
 * whose routes the API does not have yet are written by hand after Airflow 2's stable REST API
 * (snake_case, as /api/v1 answers them) and move to generated types when their routes exist.
 */
import type { Ok } from './client.js';

/** A DAG as lists show it (the fields the UI reads; details have more). */
export type Dag = Pick<
  Ok<'/api/v1/dags'>['dags'][number],
  | 'dag_id' | 'description' | 'is_paused' | 'is_active' | 'fileloc' | 'owners' | 'tags' | 'schedule_interval' | 'timetable_description'
  | 'next_dagrun' | 'next_dagrun_create_after' | 'next_run_assets' | 'next_run_aliases' | 'max_active_runs' | 'max_active_tasks' | 'last_parsed_time' | 'file_token'
>;
/** openapi-fetch leaves out fields whose schema is only `null` (Airflow's vestigial root_dag_id). */
export type DagDetail = Omit<Ok<'/api/v1/dags/{dag_id}/details'>, 'root_dag_id'>;
export type DagRun = Ok<'/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}'>;
/** What a strip of runs shows of each. */
export type RunRef = Pick<DagRun, 'dag_id' | 'dag_run_id' | 'state' | 'logical_date' | 'start_date'>;
export type TaskInstance = Ok<'/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}'>;
export type Task = Ok<'/api/v1/dags/{dag_id}/tasks'>['tasks'][number];
export type GridData = Ok<'/ui/dags/{dag_id}/grid'>;
export type GridRun = GridData['dag_runs'][number];
export type GridTaskInstance = GridData['task_instances'][number];
export type DagOverview = Ok<'/ui/dags/overview'>['dags'][number];

/** Not in the API yet: Airflow 2's ImportError. */
export interface ImportError {
  import_error_id: number;
  filename: string;
  stack_trace: string;
  timestamp: string;
}

export interface ImportErrorCollection {
  import_errors: ImportError[];
  total_entries: number;
}
