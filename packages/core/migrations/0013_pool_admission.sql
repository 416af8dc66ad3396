-- 0013: pools and concurrency limits enforced when task instances are queued. A ready task
-- instance that finds no free slot (its pool, its DAG's max_active_tasks, its task's
-- max_active_tis_per_dag) waits in state scheduled with the reason in wait_reason (which replaces
-- pending_reason: one column says why a task waits). default_pool exists in every database.
INSERT INTO slot_pool (pool, slots, description) VALUES ('default_pool', 128, 'Default pool') ON CONFLICT (pool) DO NOTHING;
ALTER TABLE task_instance DROP COLUMN pending_reason;
-- Waiting instances of a DAG by priority (a DAG under max_active_tasks hands out its free places).
CREATE INDEX task_instance_dag_scheduled_idx ON task_instance (dag_id, priority_weight DESC, scheduled_at)
  WHERE state = 'scheduled';
