-- 0032: the monitor's task feed reads tries forward in (latest moment, try key) order, each page
-- starting strictly after the last try of the previous one, so a moment holding many tries (one
-- statement wrote them) is read page by page, each try once. The event index gains the try's key
-- after its moment so each page is a short index scan; it still serves reads by moment alone.
DROP INDEX task_instance_try_event_idx;
CREATE INDEX task_instance_try_event_idx ON task_instance_try
  ((GREATEST(queued_at, started_at, ended_at)), dag_id, run_id, task_id, map_index, try_number);
