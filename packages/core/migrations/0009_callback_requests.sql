-- Callbacks to run (task onExecute/onSuccess/onRetry/onFailure, DAG onDagRunSuccess/Failure): one
-- row per event, written in the same statement as the state change it reports, so an event is
-- recorded exactly once whatever crashes; the scheduler runs pending rows in an isolated process.
CREATE TABLE callback_request (
  id           bigserial PRIMARY KEY,
  dag_id       text NOT NULL,
  run_id       text NOT NULL,
  -- '' and -1 / 0 for DAG run callbacks.
  task_id      text NOT NULL DEFAULT '',
  map_index    integer NOT NULL DEFAULT -1,
  try_number   integer NOT NULL DEFAULT 0,
  event        text NOT NULL,
  -- The try's (or the first failed task's) error when the event was recorded.
  exception    text,
  state        text NOT NULL DEFAULT 'pending',  -- pending | running | success | failed
  attempts     integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  ended_at     timestamptz,
  error        text,
  UNIQUE (dag_id, run_id, task_id, map_index, try_number, event)
);
CREATE INDEX callback_request_pending_idx ON callback_request (id) WHERE state IN ('pending', 'running');
