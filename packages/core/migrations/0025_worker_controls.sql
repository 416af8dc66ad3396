-- 0025: the remote controls asked of workers (drain, resume, shutdown, pool grow/shrink, queue
-- add/cancel consumer, terminate an attempt), each with who asked and when, and when the worker
-- acknowledged it (it applied the heartbeat answer that carried it). The desired state itself
-- stays where it was (worker.desired_*, paused_since, state, the task instance): this table is the
-- record people read, and the list of ids the heartbeat answer hands the worker to acknowledge.
-- A control belongs to one incarnation (worker_id): a restarted worker starts from its own settings.
CREATE TABLE worker_control (
  id bigserial PRIMARY KEY,
  worker_id text NOT NULL,
  worker_name text NOT NULL,
  action text NOT NULL,
  detail text,
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz
);

CREATE INDEX worker_control_pending_idx ON worker_control (worker_id) WHERE acknowledged_at IS NULL;
CREATE INDEX worker_control_name_idx ON worker_control (worker_name, id DESC);
