-- DAG bundles: the DAGs folder as one versioned whole (DAG files, the modules they import, an
-- optional package.json and lockfile). A version is a content hash over its sorted
-- (path, file hash) list; file contents live in dag_code by hash (shared with DAG file sources).
CREATE TABLE dag_bundle_version (
  version      text PRIMARY KEY,
  -- [{"path": "...", "hash": "...", "size": n}, ...] sorted by path.
  manifest     jsonb NOT NULL,
  total_bytes  bigint NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- The current version of each bundle (one bundle, 'dags', today): what a new run starts with.
CREATE TABLE dag_bundle (
  name        text PRIMARY KEY,
  version     text NOT NULL REFERENCES dag_bundle_version (version),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The bundle version a run started with: every task of the run executes against it.
ALTER TABLE dag_run ADD COLUMN bundle_version text;

-- Every way a run is created (schedule, trigger, backfill, asset event) records the current
-- bundle version unless it names one: one rule in one place instead of one in each INSERT.
CREATE FUNCTION dag_run_bundle_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.bundle_version IS NULL THEN
    NEW.bundle_version := (SELECT version FROM dag_bundle WHERE name = 'dags');
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER dag_run_bundle_version BEFORE INSERT ON dag_run
  FOR EACH ROW EXECUTE FUNCTION dag_run_bundle_version();
