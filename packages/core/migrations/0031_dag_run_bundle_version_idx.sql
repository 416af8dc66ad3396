-- `db clean` deletes a DAG bundle version only when no DAG run started with it: looked up per
-- version, so it costs an index probe, not a scan of every run.
CREATE INDEX dag_run_bundle_version_idx ON dag_run (bundle_version) WHERE bundle_version IS NOT NULL;
