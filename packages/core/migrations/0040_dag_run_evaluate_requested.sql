-- 0040: a running run in which a person cleared or marked task instances stays running (as in
-- Airflow) and is flagged instead: the leading scheduler's tick takes the flagged runs and
-- evaluates each whole (queues what became ready, finishes the run when nothing is left). The
-- flag is in the row, so whichever scheduler leads picks it up, and a notification lost while no
-- scheduler listened only delays it to the next tick.
ALTER TABLE dag_run ADD COLUMN evaluate_requested_at timestamptz;
CREATE INDEX dag_run_evaluate_requested_idx ON dag_run (id) WHERE evaluate_requested_at IS NOT NULL;
