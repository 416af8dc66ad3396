-- Backfills as tracked jobs (`updraft dags backfill`): one row per backfill with its range and
-- options; its runs point at it (dag_run.backfill_id). At most one active backfill per DAG.
CREATE TABLE backfill (
  id                  bigserial PRIMARY KEY,
  dag_id              text NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
  from_date           timestamptz NOT NULL,
  to_date             timestamptz NOT NULL,
  run_backwards       boolean NOT NULL DEFAULT false,
  reprocess_behavior  text NOT NULL CHECK (reprocess_behavior IN ('none', 'failed', 'completed')),
  max_active_runs     int NOT NULL CHECK (max_active_runs > 0),
  conf                jsonb NOT NULL DEFAULT '{}',
  state               text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'paused', 'completed', 'cancelled')),
  -- Intervals in the range, and those skipped because a run existed (or was in flight).
  total_intervals     int NOT NULL,
  skipped_intervals   int NOT NULL,
  created_by          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  completed_at        timestamptz
);
CREATE UNIQUE INDEX backfill_active_dag_idx ON backfill (dag_id) WHERE state IN ('running', 'paused');

ALTER TABLE dag_run ADD COLUMN backfill_id bigint REFERENCES backfill (id) ON DELETE SET NULL;
CREATE INDEX dag_run_backfill_idx ON dag_run (backfill_id, state) WHERE backfill_id IS NOT NULL;
