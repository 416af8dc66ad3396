-- sensors.externalTask: a deferred task instance waiting for another DAG's task (or whole run) for
-- one logical date. The scheduler resolves these rows when a run of ext_dag_id is evaluated (and on
-- its tick); the wait's timeout is the task instance's next_retry_at. A resolved wait is deleted.
CREATE TABLE external_task_wait (
  dag_id            text NOT NULL,
  run_id            text NOT NULL,
  task_id           text NOT NULL,
  map_index         integer NOT NULL,
  ext_dag_id        text NOT NULL,
  -- NULL: the whole DAG run.
  ext_task_id       text,
  ext_logical_date  timestamptz NOT NULL,
  allowed_states    text[] NOT NULL,
  failed_states     text[] NOT NULL,
  soft_fail         boolean NOT NULL,
  PRIMARY KEY (dag_id, run_id, task_id, map_index),
  FOREIGN KEY (dag_id, run_id, task_id, map_index) REFERENCES task_instance ON DELETE CASCADE
);
CREATE INDEX external_task_wait_target_idx ON external_task_wait (ext_dag_id, ext_logical_date);
