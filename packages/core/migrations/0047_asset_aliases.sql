-- 0047: asset aliases (Airflow's AssetAlias): a name a function task adds asset events through
-- when only the task knows which assets it updated (ctx.outletEvents(alias).add(asset)). Each such
-- event resolves the alias to its asset; a DAG scheduled on the alias gets runs for the events of
-- the assets it resolved to (the first of them included).
CREATE TABLE asset_alias (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE asset_alias_asset (
  alias_id    bigint NOT NULL REFERENCES asset_alias (id) ON DELETE CASCADE,
  asset_id    bigint NOT NULL REFERENCES asset (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alias_id, asset_id)
);
CREATE INDEX asset_alias_asset_asset_idx ON asset_alias_asset (asset_id);

-- The DAGs scheduled on an alias, found from their serialized form.
CREATE INDEX serialized_dag_alias_schedule_idx ON serialized_dag USING gin ((data -> 'aliasSchedule'));
