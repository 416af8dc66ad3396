-- Assets (Airflow's datasets). A task with outlets records an asset_event per asset each time it
-- succeeds (or a person posts one through the API); each event queues every DAG scheduled on the
-- asset (asset_dag_run_queue). A DAG gets an asset_triggered run once its queue holds an event for
-- each of its assets; the run consumes the queued events and keeps them (dag_run_asset_event).
ALTER TABLE dag_run DROP CONSTRAINT dag_run_run_type_check;
ALTER TABLE dag_run ADD CONSTRAINT dag_run_run_type_check
  CHECK (run_type IN ('scheduled', 'manual', 'backfill', 'asset_triggered'));

CREATE TABLE asset (
  id          bigserial PRIMARY KEY,
  uri         text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE asset_event (
  id                bigserial PRIMARY KEY,
  asset_id          bigint NOT NULL REFERENCES asset (id) ON DELETE CASCADE,
  extra             jsonb NOT NULL DEFAULT '{}',
  -- The task try that produced it; NULL for an event posted through the API.
  source_dag_id     text,
  source_run_id     text,
  source_task_id    text,
  source_map_index  integer,
  source_try_number integer,
  timestamp         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX asset_event_asset_idx ON asset_event (asset_id, timestamp DESC);
-- A try records its events once, however often its success is reported.
CREATE UNIQUE INDEX asset_event_source_idx ON asset_event (source_dag_id, source_run_id, source_task_id, source_map_index, source_try_number, asset_id)
  WHERE source_dag_id IS NOT NULL;

CREATE TABLE asset_dag_run_queue (
  target_dag_id   text NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
  asset_event_id  bigint NOT NULL REFERENCES asset_event (id) ON DELETE CASCADE,
  asset_id        bigint NOT NULL REFERENCES asset (id) ON DELETE CASCADE,
  PRIMARY KEY (target_dag_id, asset_event_id)
);

CREATE TABLE dag_run_asset_event (
  dag_run_id      bigint NOT NULL REFERENCES dag_run (id) ON DELETE CASCADE,
  asset_event_id  bigint NOT NULL REFERENCES asset_event (id) ON DELETE CASCADE,
  PRIMARY KEY (dag_run_id, asset_event_id)
);
CREATE INDEX dag_run_asset_event_event_idx ON dag_run_asset_event (asset_event_id);

-- The DAGs scheduled on an asset, found from their serialized form.
CREATE INDEX serialized_dag_asset_schedule_idx ON serialized_dag USING gin ((data -> 'assetSchedule'));
