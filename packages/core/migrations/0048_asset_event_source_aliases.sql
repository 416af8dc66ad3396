-- 0048: the aliases a task added an asset event through (ctx.outletEvents(alias).add(asset)), kept
-- on the event itself (Airflow's AssetEvent.source_aliases): a DAG scheduled on an alias tells the
-- events it came for from the other updates of the same asset. '{}' for a declared outlet's event
-- and for one posted through the REST API. A constant default: no table rewrite.
ALTER TABLE asset_event ADD COLUMN source_aliases text[] NOT NULL DEFAULT '{}';
