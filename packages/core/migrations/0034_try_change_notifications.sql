-- 0034: no change notification of its own for each statement that writes try rows. Every such
-- statement also writes the tries' task instances (queue, claim, finish, clear, mark, terminate,
-- deferral, external waits, heartbeat pids), whose trigger (0006) notifies 'ti' with the same DAG
-- ids, and pages refresh on 'ti' everything they refresh on 'try'. The one statement that writes
-- try rows alone, a try's rendered fields, sends its notification itself. Each trigger call (a
-- transition table and a PL/pgSQL call per statement) lengthened every step of a chain of tasks.
DROP TRIGGER task_instance_try_changes_ins ON task_instance_try;
DROP TRIGGER task_instance_try_changes_upd ON task_instance_try;
