-- 0037: a DAG's run limits (dagrunTimeout, maxConsecutiveFailedDagRuns) in its dag row, so the
-- scheduler's periodic pass finds the runs to time out from the running runs and their dag rows,
-- without reading serialized DAG documents (which can be megabytes) every second.
ALTER TABLE dag ADD COLUMN dagrun_timeout_ms double precision;
ALTER TABLE dag ADD COLUMN max_consecutive_failed_runs integer;
UPDATE dag d SET dagrun_timeout_ms = (s.data ->> 'dagrunTimeoutMs')::float8,
    max_consecutive_failed_runs = (s.data ->> 'maxConsecutiveFailedDagRuns')::int
  FROM serialized_dag s
  WHERE s.dag_id = d.dag_id AND (s.data ? 'dagrunTimeoutMs' OR s.data ? 'maxConsecutiveFailedDagRuns');
