-- 0006: change notifications for live pages. After each statement that writes task instances,
-- their tries, DAG runs or DAGs, one NOTIFY on channel `updraft_changes` names the kind of row
-- and the DAGs it touched: {"k":"ti","d":["etl","hello_world"]} (at most 50 ids; beyond that
-- "d" is null, meaning "any DAG"). Statement-level triggers with transition tables: one small
-- notification per statement, however many rows it wrote, and PostgreSQL folds identical
-- notifications of one transaction into one. Listeners (the webserver's server-sent events)
-- re-read what they show; the payload carries no data of its own.
CREATE FUNCTION updraft_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT dag_id) INTO ids FROM (SELECT dag_id FROM old_rows LIMIT 10000) s;
  ELSE
    SELECT array_agg(DISTINCT dag_id) INTO ids FROM (SELECT dag_id FROM new_rows LIMIT 10000) s;
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('updraft_changes', json_build_object(
    'k', TG_ARGV[0],
    'd', CASE WHEN cardinality(ids) <= 50 THEN to_json(ids) ELSE NULL END)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER task_instance_changes_ins AFTER INSERT ON task_instance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_notify_changes('ti');
CREATE TRIGGER task_instance_changes_upd AFTER UPDATE ON task_instance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_notify_changes('ti');
CREATE TRIGGER task_instance_try_changes_ins AFTER INSERT ON task_instance_try
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_notify_changes('try');
CREATE TRIGGER task_instance_try_changes_upd AFTER UPDATE ON task_instance_try
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_notify_changes('try');
CREATE TRIGGER dag_run_changes_ins AFTER INSERT ON dag_run
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_notify_changes('run');
CREATE TRIGGER dag_run_changes_upd AFTER UPDATE ON dag_run
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_notify_changes('run');
CREATE TRIGGER dag_run_changes_del AFTER DELETE ON dag_run
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_notify_changes('run');
CREATE TRIGGER dag_changes_ins AFTER INSERT ON dag
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_notify_changes('dag');
CREATE TRIGGER dag_changes_upd AFTER UPDATE ON dag
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_notify_changes('dag');
