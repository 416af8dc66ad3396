-- Why a task instance that is not queued yet waits, in words (depends_on_past, ...); NULL when
-- nothing holds it back. Cleared when it is queued.
ALTER TABLE task_instance ADD COLUMN wait_reason text;
