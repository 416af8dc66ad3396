-- Sensors in reschedule mode: a task instance waits in up_for_reschedule (no worker, no pool slot)
-- until next_retry_at, and its timeout counts from its first poke (kept across reschedules, reset
-- by a clear). Wake-ups are found as retries are (task_instance_retry_due_idx).
ALTER TABLE task_instance ADD COLUMN first_poke_at timestamptz;
CREATE INDEX task_instance_reschedule_due_idx ON task_instance (next_retry_at) WHERE state = 'up_for_reschedule';
