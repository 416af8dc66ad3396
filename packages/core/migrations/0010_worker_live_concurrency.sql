-- 0010: the concurrency a worker should run with, set live from the monitor (pool grow/shrink).
-- The scheduler hands it to the worker in the answer to its heartbeat; the worker reports the
-- concurrency it runs with in each heartbeat (the acknowledgement, stored in `concurrency`).
-- NULL: the worker's own setting. A new registration (a restart) starts from its own setting.
ALTER TABLE worker ADD COLUMN desired_concurrency integer CHECK (desired_concurrency >= 1);
