-- 0030: heartbeat history for the monitor's "heartbeat gaps" chart, kept compact: one row per
-- worker (by name, so it spans restarts) and minute, upserted by the heartbeat statement itself,
-- holding how many heartbeats arrived in that minute and the largest gap between one of them and
-- the heartbeat before it (a stalled or overloaded host shows as a spike). At most 1,440 rows a
-- day per worker; the leading scheduler deletes rows older than two days (the chart reads one).
CREATE TABLE worker_heartbeat_minute (
  worker_name text NOT NULL,
  minute timestamptz NOT NULL,
  beats integer NOT NULL,
  max_gap_ms integer NOT NULL,
  PRIMARY KEY (worker_name, minute)
);

-- The retention delete reads by age across workers.
CREATE INDEX worker_heartbeat_minute_minute ON worker_heartbeat_minute (minute);
