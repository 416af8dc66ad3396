-- 0044: a run marked success or failed by hand while some of its teardown tasks had not ended
-- stays running so that they run (Airflow's: marking a run never skips its cleanup); this holds the
-- state it takes when they are done (null: its leaf tasks decide, as for any run).
ALTER TABLE dag_run ADD COLUMN marked_state text CHECK (marked_state IN ('success', 'failed'));
