-- 0036: the scheduler's claims and finishes announce their task instance changes themselves,
-- coalesced: one 'ti' notification for every DAG they changed in the last few milliseconds
-- (scheduler engine/change-announcer.ts) instead of one from this trigger per statement. Each of
-- those cost PostgreSQL a write to its notification queue and every listener (the web UI, the
-- monitor) a wake-up, a thousand times a second under load. Those two statements set
-- updraft.change_notify to 'off' for their own transaction; every other write notifies as before.
DROP TRIGGER task_instance_changes_ins ON task_instance;
DROP TRIGGER task_instance_changes_upd ON task_instance;
CREATE TRIGGER task_instance_changes_ins AFTER INSERT ON task_instance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  WHEN (current_setting('updraft.change_notify', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION updraft_notify_changes('ti');
CREATE TRIGGER task_instance_changes_upd AFTER UPDATE ON task_instance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  WHEN (current_setting('updraft.change_notify', true) IS DISTINCT FROM 'off')
  EXECUTE FUNCTION updraft_notify_changes('ti');
