-- What a try's panel shows besides its times and worker: the templated fields as the scheduler
-- rendered them for this try (bounded in size, secrets masked; Airflow's "Rendered Template"), and
-- how often this try was requeued (a lost queued message) with the last reason. The pid of the
-- task process is reported by the worker (heartbeats and result) into the existing pid columns.
ALTER TABLE task_instance_try
  ADD COLUMN rendered_fields jsonb,
  ADD COLUMN requeue_count integer NOT NULL DEFAULT 0,
  ADD COLUMN last_requeue_reason text;
