-- 0020: how long the leading scheduler's loop takes, step by step (`tick` for the whole loop),
-- for the monitor's /metrics. The leader writes its counts since it started (cumulative
-- histograms over fixed bounds, core's SCHEDULER_LOOP_BUCKETS_S) every few seconds: one row per
-- step, overwritten, so the table never grows. A new leader starts its counts from zero (a reset,
-- as Prometheus counters have at a restart).
CREATE TABLE scheduler_loop (
  step        text PRIMARY KEY,
  hostname    text NOT NULL,
  started_at  timestamptz NOT NULL,
  runs        bigint NOT NULL,
  total_ms    double precision NOT NULL,
  last_ms     double precision NOT NULL,
  -- buckets[i]: runs that took at most SCHEDULER_LOOP_BUCKETS_S[i] seconds.
  buckets     bigint[] NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
