-- Deferred sensors (sensors.timeDelta, sensors.dateTime): the task instance waits in state deferred
-- until next_retry_at, and the scheduler itself ends it success; found as retries are.
CREATE INDEX task_instance_deferred_due_idx ON task_instance (next_retry_at) WHERE state = 'deferred';
