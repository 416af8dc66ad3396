-- 0033: the index of unfinished task instances per run (0002) also holds their state, so that
-- "does this run still have an unfinished task instance?" is one index-only probe ordered by
-- state. Without an order only the index gives, the generic plan of the prepared run-finished
-- check chose a sequential scan that read every finished row before the first unfinished one.
CREATE INDEX task_instance_unfinished_state_idx ON task_instance (dag_run_id, state)
  WHERE state IS NULL OR state IN ('scheduled', 'queued', 'running', 'up_for_retry', 'up_for_reschedule', 'deferred');
DROP INDEX task_instance_unfinished_idx;
