-- 0027: per-worker outcome counts kept as they happen, so the monitor reads a few small rows
-- instead of scanning every try a worker ever ran. One row per worker incarnation (worker_id) and
-- minute in which tries ended, plus one all-time row per worker (bucket '-infinity'). A
-- statement-level trigger with transition tables adds, after each statement that ends tries
-- (insert or update to success/failed), one upsert per worker and minute, in a fixed order (no
-- deadlock between two such statements). `retried`: a failed try whose task instance was up for
-- retry, or already on a later try, when the try ended. Minute rows older than a day are never
-- read (the primary key bounds the read to the last day); they are at most 1,440 a day per worker.
CREATE TABLE worker_outcome (
  worker_id text NOT NULL,
  bucket timestamptz NOT NULL,
  succeeded bigint NOT NULL DEFAULT 0,
  failed bigint NOT NULL DEFAULT 0,
  retried bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (worker_id, bucket)
);

CREATE FUNCTION updraft_count_outcomes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO worker_outcome AS o (worker_id, bucket, succeeded, failed, retried)
    SELECT e.worker_id, b.bucket, count(*) FILTER (WHERE e.state = 'success'), count(*) FILTER (WHERE e.state = 'failed'),
      count(*) FILTER (WHERE e.state = 'failed' AND (ti.state = 'up_for_retry' OR ti.try_number > e.try_number))
    FROM new_rows e
    LEFT JOIN task_instance ti USING (dag_id, run_id, task_id, map_index)
    CROSS JOIN LATERAL (VALUES (date_trunc('minute', e.ended_at)), ('-infinity'::timestamptz)) AS b(bucket)
    WHERE e.worker_id IS NOT NULL AND e.ended_at IS NOT NULL AND e.state IN ('success', 'failed')
    GROUP BY e.worker_id, b.bucket ORDER BY e.worker_id, b.bucket
    ON CONFLICT (worker_id, bucket) DO UPDATE SET succeeded = o.succeeded + EXCLUDED.succeeded,
      failed = o.failed + EXCLUDED.failed, retried = o.retried + EXCLUDED.retried;
  ELSE
    INSERT INTO worker_outcome AS o (worker_id, bucket, succeeded, failed, retried)
    SELECT e.worker_id, b.bucket, count(*) FILTER (WHERE e.state = 'success'), count(*) FILTER (WHERE e.state = 'failed'),
      count(*) FILTER (WHERE e.state = 'failed' AND (ti.state = 'up_for_retry' OR ti.try_number > e.try_number))
    FROM new_rows e
    JOIN old_rows p USING (dag_id, run_id, task_id, map_index, try_number)
    LEFT JOIN task_instance ti USING (dag_id, run_id, task_id, map_index)
    CROSS JOIN LATERAL (VALUES (date_trunc('minute', e.ended_at)), ('-infinity'::timestamptz)) AS b(bucket)
    WHERE e.worker_id IS NOT NULL AND e.ended_at IS NOT NULL AND e.state IN ('success', 'failed')
      AND (p.state IS NULL OR p.state NOT IN ('success', 'failed'))
    GROUP BY e.worker_id, b.bucket ORDER BY e.worker_id, b.bucket
    ON CONFLICT (worker_id, bucket) DO UPDATE SET succeeded = o.succeeded + EXCLUDED.succeeded,
      failed = o.failed + EXCLUDED.failed, retried = o.retried + EXCLUDED.retried;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_instance_try_outcomes_ins AFTER INSERT ON task_instance_try
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_count_outcomes();
CREATE TRIGGER task_instance_try_outcomes_upd AFTER UPDATE ON task_instance_try
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_count_outcomes();

-- The history so far, counted once.
INSERT INTO worker_outcome (worker_id, bucket, succeeded, failed, retried)
SELECT tt.worker_id, b.bucket, count(*) FILTER (WHERE tt.state = 'success'), count(*) FILTER (WHERE tt.state = 'failed'),
  count(*) FILTER (WHERE tt.state = 'failed' AND (ti.state = 'up_for_retry' OR ti.try_number > tt.try_number))
FROM task_instance_try tt
LEFT JOIN task_instance ti USING (dag_id, run_id, task_id, map_index)
CROSS JOIN LATERAL (VALUES (date_trunc('minute', tt.ended_at)), ('-infinity'::timestamptz)) AS b(bucket)
WHERE tt.worker_id IS NOT NULL AND tt.ended_at IS NOT NULL AND tt.state IN ('success', 'failed')
  AND (b.bucket = '-infinity' OR tt.ended_at >= now() - interval '1 day')
GROUP BY tt.worker_id, b.bucket;
