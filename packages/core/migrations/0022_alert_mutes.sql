-- Alert mutes (`updraft alerts mute DAG --for 2h`): while a mute of a DAG (or '*', every DAG) has
-- not expired, its alerts are recorded as usual but marked 'muted' by the sender instead of sent.
CREATE TABLE alert_mute (
  dag_id      text PRIMARY KEY,
  until       timestamptz NOT NULL,
  muted_by    text NOT NULL DEFAULT '',
  reason      text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);
