/**
 * Shapes of Airflow 2's stable REST API (snake_case, as /api/v1 answers them) that the UI reads.
 * Replaced by the types generated from docs/openapi.json once that document exists.
 */
export interface ScheduleInterval {
  __type: string;
  value?: string;
  days?: number;
  seconds?: number;
  microseconds?: number;
}

export interface Dag {
  dag_id: string;
  description?: string | null;
  is_paused: boolean | null;
  is_active?: boolean | null;
  fileloc?: string;
  owners?: string[];
  tags?: { name: string }[] | null;
  schedule_interval?: ScheduleInterval | null;
  timetable_description?: string | null;
  timezone?: string | null;
  next_dagrun?: string | null;
  next_dagrun_data_interval_start?: string | null;
  has_import_errors?: boolean | null;
  last_parsed_time?: string | null;
}

export interface DagCollection {
  dags: Dag[];
  total_entries: number;
}

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

export type DagRunState = 'queued' | 'running' | 'success' | 'failed';

export interface DagRun {
  dag_id: string;
  dag_run_id: string;
  state: DagRunState;
  run_type?: string;
  logical_date?: string | null;
  start_date?: string | null;
  end_date?: string | null;
}
