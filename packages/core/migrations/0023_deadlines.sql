-- Deadlines (a DAG's `deadline` option): when a run still unfinished passed its deadline, once.
ALTER TABLE dag_run ADD COLUMN deadline_missed_at timestamptz;
