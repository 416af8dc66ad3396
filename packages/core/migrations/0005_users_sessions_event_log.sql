-- 0005: what the REST API needs. Users get Airflow's name fields; a DAG run gets a note (set when
-- it is triggered or later). Browser sessions and API tokens are rows (they survive restarts and
-- are revoked by deleting or flagging the row); only a hash of each secret is stored. The event
-- log records every mutation made through the API or the CLI: who, what, when, from where.
ALTER TABLE ab_user
  ADD COLUMN first_name text NOT NULL DEFAULT '',
  ADD COLUMN last_name  text NOT NULL DEFAULT '';

ALTER TABLE dag_run ADD COLUMN note text;

CREATE TABLE user_session (
  id_hash      text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen    timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  remote_addr  text
);
CREATE INDEX user_session_user_idx ON user_session (user_id);
CREATE INDEX user_session_expiry_idx ON user_session (expires_at);

CREATE TABLE api_token (
  id           bigserial PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used    timestamptz,
  UNIQUE (user_id, name)
);

CREATE TABLE event_log (
  id           bigserial PRIMARY KEY,
  dttm         timestamptz NOT NULL DEFAULT now(),
  event        text NOT NULL,
  owner        text,
  dag_id       text,
  task_id      text,
  run_id       text,
  map_index    integer,
  try_number   integer,
  extra        jsonb,
  remote_addr  text
);
CREATE INDEX event_log_dttm_idx ON event_log (dttm);
CREATE INDEX event_log_dag_idx ON event_log (dag_id, dttm) WHERE dag_id IS NOT NULL;
