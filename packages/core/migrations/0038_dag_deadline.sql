-- 0038: a DAG's deadline (from and afterMs) in its dag row, so the scheduler's periodic pass finds
-- the runs past their deadline from the running runs and their dag rows, and reads a serialized
-- DAG document (which can be megabytes) only for a run that missed it (its notifiers, its callback).
ALTER TABLE dag ADD COLUMN deadline_from text;
ALTER TABLE dag ADD COLUMN deadline_after_ms double precision;
UPDATE dag d SET deadline_from = s.data -> 'deadline' ->> 'from', deadline_after_ms = (s.data -> 'deadline' ->> 'afterMs')::float8
  FROM serialized_dag s
  WHERE s.dag_id = d.dag_id AND s.data ? 'deadline';
