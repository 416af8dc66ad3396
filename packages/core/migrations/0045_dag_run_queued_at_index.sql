-- 0045: the home page counts the runs created in a recent window (and their task instances): an
-- index on when each run was created keeps that a range read however long the history grows.
CREATE INDEX dag_run_queued_at_idx ON dag_run (queued_at);
