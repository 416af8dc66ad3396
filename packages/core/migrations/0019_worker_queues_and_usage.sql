-- 0019: the queues a worker should pull from, set live from the monitor (a queue's consumer added
-- or cancelled). The scheduler hands them to the worker in the answer to its heartbeat; the worker
-- reports the queues it pulls from in each heartbeat (the acknowledgement, stored in `queues`).
-- NULL: the worker's own setting; a new registration (a restart) starts from its own setting.
-- Also what each heartbeat says about the worker process itself: CPU (percent of one core since
-- the previous heartbeat) and resident memory.
ALTER TABLE worker
  ADD COLUMN desired_queues text[] CHECK (cardinality(desired_queues) >= 1),
  ADD COLUMN cpu_percent double precision,
  ADD COLUMN rss_bytes bigint;
