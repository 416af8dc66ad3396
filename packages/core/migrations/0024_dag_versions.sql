-- Every version of a DAG the processor stored, not only the current one (serialized_dag keeps one
-- row per DAG): which file content (dag_code, kept by hash) it was parsed from and when. A run
-- names its version by dag_run.dag_hash, so the UI can show the source the run used.
CREATE TABLE dag_version (
  dag_id      text NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
  dag_hash    text NOT NULL,
  fileloc     text NOT NULL,
  file_hash   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dag_id, dag_hash)
);
CREATE INDEX dag_version_created_idx ON dag_version (dag_id, created_at);

-- The versions stored so far are the current ones.
INSERT INTO dag_version (dag_id, dag_hash, fileloc, file_hash, created_at)
SELECT dag_id, dag_hash, fileloc, file_hash, updated_at FROM serialized_dag
ON CONFLICT DO NOTHING;
