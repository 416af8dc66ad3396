-- 0035: the outcome counts' trigger (0027) returns at once when no row of the statement ends a
-- worker's try. Most statements that write try rows queue or claim them, and the full count (an
-- upsert joining the statement's old and new rows with their task instances) ran for each of them
-- to find nothing. The counts are the same: the check is the count's own row filter.
CREATE OR REPLACE FUNCTION updraft_count_outcomes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows e WHERE e.worker_id IS NOT NULL AND e.ended_at IS NOT NULL AND e.state IN ('success', 'failed')) THEN
    RETURN NULL;
  END IF;
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
