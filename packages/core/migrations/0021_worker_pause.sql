-- 0021: a worker drained from the monitor takes no new task but stays registered (paused), until
-- it is resumed. The scheduler tells it in the answer to its heartbeat (`pause`); the worker
-- reports whether it holds back (`paused_reported`, the acknowledgement). A new registration (a
-- restart) starts unpaused. Unlike state 'draining' (shutdown: finish, then leave), a paused
-- worker stays online.
ALTER TABLE worker
  ADD COLUMN paused_since timestamptz,
  ADD COLUMN paused_reason text,
  ADD COLUMN paused_reported boolean NOT NULL DEFAULT false;
