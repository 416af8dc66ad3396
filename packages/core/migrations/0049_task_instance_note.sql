-- 0049: a note on a task instance (Airflow's task_instance_note), set from the UI or the REST API
-- (PATCH .../taskInstances/{task_id}/setNote) and kept across its tries and clears. A table of its
-- own: the task_instance rows the hot path writes stay as narrow as they were. It goes with its
-- task instance (a DAG deleted, old runs cleaned).
CREATE TABLE task_instance_note (
  dag_id     text NOT NULL,
  run_id     text NOT NULL,
  task_id    text NOT NULL,
  map_index  integer NOT NULL,
  content    text NOT NULL,
  updated_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dag_id, run_id, task_id, map_index),
  FOREIGN KEY (dag_id, run_id, task_id, map_index) REFERENCES task_instance (dag_id, run_id, task_id, map_index) ON DELETE CASCADE
);
