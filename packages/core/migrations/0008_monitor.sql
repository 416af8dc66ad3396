-- 0008: what the fleet monitor reads. A worker's state carries why and since when it is in it
-- (offline: "missed heartbeats for 8.2 s" or "deregistered"; draining: who asked), so a monitor
-- started later shows the same reason. Task events are read from the tries by their latest
-- moment (queued, started or ended): an index on that moment keeps the newest events a short
-- index scan however long the history; the per-worker index serves a worker's recent tasks and
-- its outcome counts over the last hour and day.
ALTER TABLE worker
  ADD COLUMN state_reason text,
  ADD COLUMN state_since timestamptz NOT NULL DEFAULT now();

CREATE INDEX task_instance_try_event_idx ON task_instance_try ((GREATEST(queued_at, started_at, ended_at)));
CREATE INDEX task_instance_try_worker_idx ON task_instance_try (worker_id, ended_at) WHERE worker_id IS NOT NULL;
