-- 0002: "does this DAG run still have unfinished task instances?" is asked after every task end
-- (to finish the run); this partial index answers it in O(log n) whatever the run's size, and
-- covers only unfinished rows (NULL = none), so it does not grow with history.
CREATE INDEX task_instance_unfinished_idx ON task_instance (dag_run_id)
  WHERE state IS NULL OR state IN ('scheduled', 'queued', 'running', 'up_for_retry', 'up_for_reschedule', 'deferred');
