-- 0041: waiting task instances of equal priority are admitted in their run's logical-date order,
-- then by map index (as Airflow's scheduler orders them), no longer by the time they became ready:
-- a catchup or a backfill with too few slots finishes its oldest runs first. A waiting instance
-- keeps its run's logical date (written when it starts to wait, see admission.ts), so that the two
-- partial indexes of waiting instances hand them out in that order.
ALTER TABLE task_instance ADD COLUMN run_logical_date timestamptz;
UPDATE task_instance ti SET run_logical_date = r.logical_date
FROM dag_run r WHERE r.id = ti.dag_run_id AND ti.state = 'scheduled';
DROP INDEX task_instance_scheduled_idx;
CREATE INDEX task_instance_scheduled_idx ON task_instance (pool, priority_weight DESC, run_logical_date, map_index, scheduled_at)
  WHERE state = 'scheduled';
DROP INDEX task_instance_dag_scheduled_idx;
CREATE INDEX task_instance_dag_scheduled_idx ON task_instance (dag_id, priority_weight DESC, run_logical_date, map_index, scheduled_at)
  WHERE state = 'scheduled';
