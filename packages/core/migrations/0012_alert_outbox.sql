-- Alerts of declarative notifiers (slack(), email(), webhook()): one row per notifier of an event,
-- written in the same statement as the state change (and its callback_request), so an alert is
-- recorded exactly once whatever crashes. The unique key is the alert's idempotency key. The
-- scheduler's sender claims due rows with a lease (sending, lease_until), sends each and marks it
-- sent, or pending again with a later next_attempt_at (backoff, Slack's Retry-After), or failed.
CREATE TABLE alert_outbox (
  id               bigserial PRIMARY KEY,
  dag_id           text NOT NULL,
  run_id           text NOT NULL,
  -- '' and -1 / 0 for DAG run events.
  task_id          text NOT NULL DEFAULT '',
  map_index        integer NOT NULL DEFAULT -1,
  try_number       integer NOT NULL DEFAULT 0,
  event            text NOT NULL,
  -- Position of the notifier among the event's declarative notifiers.
  notifier_index   integer NOT NULL,
  -- The notifier as serialized: {"kind":"slack","channel":"#etl","connId":"slack_default","timezone":"Asia/Seoul"}.
  target           jsonb NOT NULL,
  -- The try's (or the first failed task's) error when the event was recorded.
  exception        text,
  state            text NOT NULL DEFAULT 'pending',  -- pending | sending | sent | failed
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  lease_until      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  error            text,
  UNIQUE (dag_id, run_id, task_id, map_index, try_number, event, notifier_index)
);
CREATE INDEX alert_outbox_open_idx ON alert_outbox (next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX alert_outbox_failed_idx ON alert_outbox (id) WHERE state = 'failed';

-- Wakes the sender (LISTEN updraft_alerts) once per statement that records alerts.
CREATE FUNCTION updraft_notify_alerts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows) THEN
    PERFORM pg_notify('updraft_alerts', '');
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER alert_outbox_ins AFTER INSERT ON alert_outbox
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION updraft_notify_alerts();
