-- 0003: pools enforced. A task instance takes pool_slots slots of its pool while queued or running;
-- tasks that are ready but find no free slot wait in state scheduled (pending_reason says why when
-- they cannot run at all, e.g. their pool does not exist). DAG-level max_active_tasks and
-- task-level max_active_tis_per_dag bound queued + running task instances the same way.
-- The indexes cover only waiting (scheduled) and occupying (queued, running) rows, so the cost of
-- handing out slots grows with active work, not with history.
ALTER TABLE task_instance
  ADD COLUMN pool_slots integer NOT NULL DEFAULT 1 CHECK (pool_slots >= 1),
  ADD COLUMN max_active_tis_per_dag integer CHECK (max_active_tis_per_dag >= 1),
  ADD COLUMN pending_reason text;
ALTER TABLE dag ADD COLUMN max_active_tasks integer NOT NULL DEFAULT 16 CHECK (max_active_tasks >= 1);

CREATE INDEX task_instance_scheduled_idx ON task_instance (pool, priority_weight DESC, scheduled_at)
  WHERE state = 'scheduled';
CREATE INDEX task_instance_occupying_idx ON task_instance (pool) INCLUDE (pool_slots)
  WHERE state IN ('queued', 'running');
CREATE INDEX task_instance_dag_occupying_idx ON task_instance (dag_id, task_id)
  WHERE state IN ('queued', 'running');
