-- 0001: the metadata schema of Updraft.
-- Task-instance and DAG-run states are plain text guarded by CHECK constraints; every transition
-- is a compare-and-set UPDATE ... WHERE state = <the state it leaves>.
-- Partial indexes cover only active work so scheduling queries do not grow with history.

CREATE TABLE dag (
  dag_id            text PRIMARY KEY,
  fileloc           text NOT NULL,
  is_active         boolean NOT NULL DEFAULT true,
  is_paused         boolean NOT NULL DEFAULT false,
  schedule          text,
  timezone          text NOT NULL DEFAULT 'UTC',
  owner             text NOT NULL DEFAULT 'updraft',
  description       text,
  tags              text[] NOT NULL DEFAULT '{}',
  max_active_runs   integer NOT NULL DEFAULT 16,
  -- The next scheduled run: its logical date, data interval, and when it may be created.
  next_dagrun                  timestamptz,
  next_dagrun_interval_start   timestamptz,
  next_dagrun_interval_end     timestamptz,
  next_dagrun_create_after     timestamptz,
  last_parsed_at    timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dag_due_idx ON dag (next_dagrun_create_after)
  WHERE is_active AND NOT is_paused AND next_dagrun_create_after IS NOT NULL;

-- DAG file sources by content hash: workers fetch the exact version a run was scheduled with.
CREATE TABLE dag_code (
  file_hash   text PRIMARY KEY,
  fileloc     text NOT NULL,
  source      bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per DAG file seen by the processor: lets an unchanged file be skipped by hash.
CREATE TABLE dag_file (
  fileloc         text PRIMARY KEY,
  file_hash       text NOT NULL,
  dag_ids         text[] NOT NULL DEFAULT '{}',
  last_parsed_at  timestamptz NOT NULL DEFAULT now(),
  parse_duration_ms double precision
);

CREATE TABLE serialized_dag (
  dag_id          text PRIMARY KEY REFERENCES dag (dag_id) ON DELETE CASCADE,
  fileloc         text NOT NULL,
  file_hash       text NOT NULL,
  schema_version  integer NOT NULL,
  dag_hash        text NOT NULL,
  data            jsonb NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_error (
  fileloc     text PRIMARY KEY,
  file_hash   text,
  kind        text NOT NULL,
  message     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dag_run (
  id                   bigserial PRIMARY KEY,
  dag_id               text NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
  run_id               text NOT NULL,
  run_type             text NOT NULL CHECK (run_type IN ('scheduled', 'manual', 'backfill')),
  state                text NOT NULL CHECK (state IN ('queued', 'running', 'success', 'failed')),
  logical_date         timestamptz NOT NULL,
  data_interval_start  timestamptz,
  data_interval_end    timestamptz,
  conf                 jsonb NOT NULL DEFAULT '{}',
  dag_hash             text,
  queued_at            timestamptz NOT NULL DEFAULT now(),
  start_date           timestamptz,
  end_date             timestamptz,
  UNIQUE (dag_id, run_id),
  UNIQUE (dag_id, logical_date)
);
CREATE INDEX dag_run_active_idx ON dag_run (dag_id, state) WHERE state IN ('queued', 'running');

CREATE TABLE task_instance (
  dag_run_id          bigint NOT NULL REFERENCES dag_run (id) ON DELETE CASCADE,
  dag_id              text NOT NULL,
  run_id              text NOT NULL,
  task_id             text NOT NULL,
  map_index           integer NOT NULL DEFAULT -1,
  -- NULL means "none" (not yet considered).
  state               text CHECK (state IN ('scheduled', 'queued', 'running', 'success', 'failed',
                        'up_for_retry', 'up_for_reschedule', 'skipped', 'upstream_failed',
                        'removed', 'deferred')),
  try_number          integer NOT NULL DEFAULT 0,
  max_tries           integer NOT NULL DEFAULT 1,
  attempt_token       uuid,
  operator            text NOT NULL,
  queue               text NOT NULL DEFAULT 'default',
  pool                text NOT NULL DEFAULT 'default_pool',
  priority_weight     integer NOT NULL DEFAULT 1,
  scheduled_at        timestamptz,
  queued_at           timestamptz,
  started_at          timestamptz,
  ended_at            timestamptz,
  duration_ms         double precision,
  next_retry_at       timestamptz,
  worker_id           text,
  hostname            text,
  pid                 integer,
  exit_code           integer,
  error               text,
  -- Requeues of a lost queued attempt; a budget of its own, separate from retries.
  requeue_count       integer NOT NULL DEFAULT 0,
  last_requeue_reason text,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dag_id, run_id, task_id, map_index)
);
CREATE INDEX task_instance_active_idx ON task_instance (state, queue)
  WHERE state IN ('scheduled', 'queued', 'running', 'up_for_retry', 'up_for_reschedule', 'deferred');
CREATE INDEX task_instance_run_idx ON task_instance (dag_run_id);
CREATE INDEX task_instance_retry_due_idx ON task_instance (next_retry_at) WHERE state = 'up_for_retry';
CREATE INDEX task_instance_worker_idx ON task_instance (worker_id) WHERE state = 'running';

-- One row per try of a task instance: its own state, times, worker and log.
CREATE TABLE task_instance_try (
  dag_id         text NOT NULL,
  run_id         text NOT NULL,
  task_id        text NOT NULL,
  map_index      integer NOT NULL DEFAULT -1,
  try_number     integer NOT NULL,
  attempt_token  uuid,
  state          text,
  queued_at      timestamptz,
  started_at     timestamptz,
  ended_at       timestamptz,
  duration_ms    double precision,
  worker_id      text,
  hostname       text,
  pid            integer,
  exit_code      integer,
  error          text,
  log_path       text,
  PRIMARY KEY (dag_id, run_id, task_id, map_index, try_number),
  FOREIGN KEY (dag_id, run_id, task_id, map_index)
    REFERENCES task_instance (dag_id, run_id, task_id, map_index) ON DELETE CASCADE
);

CREATE TABLE xcom (
  dag_id      text NOT NULL,
  run_id      text NOT NULL,
  task_id     text NOT NULL,
  map_index   integer NOT NULL DEFAULT -1,
  key         text NOT NULL,
  value       jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dag_id, run_id, task_id, map_index, key),
  FOREIGN KEY (dag_id, run_id, task_id, map_index)
    REFERENCES task_instance (dag_id, run_id, task_id, map_index) ON DELETE CASCADE
);

CREATE TABLE worker (
  worker_id       text PRIMARY KEY,
  worker_name     text NOT NULL UNIQUE,
  hostname        text NOT NULL,
  queues          text[] NOT NULL,
  concurrency     integer NOT NULL,
  version         text,
  umask           text,
  uid             integer,
  gid             integer,
  pid             integer,
  state           text NOT NULL CHECK (state IN ('online', 'draining', 'offline')),
  registered_at   timestamptz NOT NULL DEFAULT now(),
  last_heartbeat  timestamptz,
  running         integer NOT NULL DEFAULT 0,
  free_slots      integer,
  load1           double precision,
  load5           double precision,
  load15          double precision,
  processed       bigint NOT NULL DEFAULT 0
);
CREATE INDEX worker_live_idx ON worker (last_heartbeat) WHERE state <> 'offline';

CREATE TABLE ab_user (
  id             bigserial PRIMARY KEY,
  username       text NOT NULL UNIQUE,
  email          text,
  password_hash  text NOT NULL,
  role           text NOT NULL DEFAULT 'Viewer' CHECK (role IN ('Admin', 'Op', 'User', 'Viewer')),
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_login     timestamptz
);

-- Secrets are stored encrypted with security.fernet_key.
CREATE TABLE connection (
  conn_id             text PRIMARY KEY,
  conn_type           text NOT NULL,
  description         text,
  host                text,
  schema              text,
  login               text,
  password_encrypted  text,
  port                integer,
  extra_encrypted     text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE variable (
  key           text PRIMARY KEY,
  value         text NOT NULL,
  is_encrypted  boolean NOT NULL DEFAULT false,
  description   text,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE slot_pool (
  pool         text PRIMARY KEY,
  slots        integer NOT NULL CHECK (slots >= -1),
  description  text
);
INSERT INTO slot_pool (pool, slots, description) VALUES ('default_pool', 128, 'Default pool');
