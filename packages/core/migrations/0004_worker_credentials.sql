-- 0004: per-worker credentials. A token is bound to one worker name and stored as its SHA-256
-- (tokens are 256 random bits, so a plain hash cannot be reversed or guessed). Revoking keeps the
-- row (when, for the record); creating a new token for the name replaces it.
CREATE TABLE worker_credential (
  worker_name text PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
