-- 0042: a task's max_active_tis_per_dagrun (Airflow's): at most that many of its instances queued
-- or running at once within one run (a mapped task's instances). Copied to each task instance, as
-- max_active_tis_per_dag is; the admission statement enforces it (admission.ts).
ALTER TABLE task_instance ADD COLUMN max_active_tis_per_dagrun integer;
