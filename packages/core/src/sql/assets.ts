/**
 * Assets (Airflow's datasets): events recorded when a task with outlets succeeds (or posted
 * through the API), the queue of events each DAG scheduled on an asset has not run for yet, the
 * asset-triggered runs that consume it, and the reads the API shows.
 */
import type { TriggeringAssetEvent as SdkTriggeringAssetEvent } from '@updraft/sdk';
import type { Queryable } from '../db/types.js';
import type { NewDagRun } from './dag-runs.js';
import { newTaskArrays, newTaskInstancesCte } from './new-task-instances.js';
import { rows } from './query.js';

export interface NewAssetEvent {
  uri: string;
  extra?: Record<string, unknown>;
  /** The try that produced it; absent for an event posted through the API. */
  source?: { dagId: string; runId: string; taskId: string; mapIndex: number; tryNumber: number };
}

/**
 * CTEs that record asset events from a CTE named `src` with columns (uri, extra, aliases, dag_id,
 * run_id, task_id, map_index, try_number), one row per asset and source, creating unknown assets
 * and aliases, resolving each alias in `aliases` (a JSON list of names, or null) to its row's
 * asset, and queueing each event for every active DAG scheduled on its asset or on an alias
 * resolved to it. They define `ae` (the events recorded: id, asset_id and source) and `aq` (the
 * queue rows: target_dag_id, asset_event_id). A try's event for an asset is recorded once however
 * often a statement runs. Shared by recordAssetEvents and the finish of attempts
 * (sql/finish-attempts.ts), which records a success and its events in one statement.
 */
export const ASSET_EVENT_CTES = `
     -- In uri order: statements that update the same assets lock their rows in one order (no deadlock).
     au AS (
       INSERT INTO asset (uri) SELECT DISTINCT uri FROM src ORDER BY uri
       ON CONFLICT (uri) DO UPDATE SET updated_at = now()
       RETURNING id, uri),
     aa AS (
       INSERT INTO asset_alias (name)
       SELECT DISTINCT n.name FROM src CROSS JOIN LATERAL jsonb_array_elements_text(src.aliases) AS n(name) WHERE src.aliases IS NOT NULL ORDER BY n.name
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
       RETURNING id, name),
     aal AS (
       INSERT INTO asset_alias_asset (alias_id, asset_id)
       SELECT DISTINCT aa.id, au.id FROM src CROSS JOIN LATERAL jsonb_array_elements_text(src.aliases) AS n(name)
         JOIN aa ON aa.name = n.name JOIN au ON au.uri = src.uri
       WHERE src.aliases IS NOT NULL
       ON CONFLICT DO NOTHING),
     ae AS (
       INSERT INTO asset_event (asset_id, extra, source_dag_id, source_run_id, source_task_id, source_map_index, source_try_number, source_aliases)
       SELECT au.id, COALESCE(src.extra, '{}'), src.dag_id, src.run_id, src.task_id, src.map_index, src.try_number,
         CASE WHEN src.aliases IS NULL THEN '{}'::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(src.aliases) ORDER BY 1) END
       FROM src JOIN au ON au.uri = src.uri
       ON CONFLICT DO NOTHING
       RETURNING id, asset_id, source_dag_id, source_run_id, source_task_id, source_map_index),
     -- The aliases resolved to each asset (before, or by this statement).
     resolved AS (
       SELECT au.id AS asset_id, ARRAY(
         SELECT a.name FROM asset_alias_asset x JOIN asset_alias a ON a.id = x.alias_id WHERE x.asset_id = au.id
         UNION SELECT jsonb_array_elements_text(src.aliases) FROM src WHERE src.uri = au.uri AND src.aliases IS NOT NULL) AS names
       FROM au),
     -- The DAGs scheduled on each asset, or on an alias resolved to it. An asset no alias resolved
     -- to (most) reads no serialized DAG for aliases: the cardinality test gates that scan.
     targets AS (
       SELECT sd.dag_id, au.id AS asset_id FROM au JOIN serialized_dag sd ON sd.data -> 'assetSchedule' ? au.uri
       UNION
       SELECT s.dag_id, r.asset_id FROM resolved r CROSS JOIN LATERAL (
         SELECT sd.dag_id FROM serialized_dag sd WHERE cardinality(r.names) > 0 AND sd.data -> 'aliasSchedule' ?| r.names) s),
     aq AS (
       INSERT INTO asset_dag_run_queue (target_dag_id, asset_event_id, asset_id)
       SELECT tg.dag_id, ae.id, ae.asset_id FROM ae
       JOIN targets tg ON tg.asset_id = ae.asset_id
       JOIN dag d ON d.dag_id = tg.dag_id AND d.is_active
       ON CONFLICT DO NOTHING
       RETURNING target_dag_id, asset_event_id)`;

/**
 * Records the events (creating unknown assets) and queues each for every active DAG scheduled on
 * its asset. A try's events are recorded once however often this is called. Returns the DAGs queued for.
 */
export async function recordAssetEvents(db: Queryable, events: readonly NewAssetEvent[]): Promise<{ eventIds: string[]; queuedDagIds: string[] }> {
  if (events.length === 0) return { eventIds: [], queuedDagIds: [] };
  const result = await rows<{ event_ids: string[] | null; dag_ids: string[] | null }>(db, 'recordAssetEvents',
    `WITH src AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS i(uri text, extra jsonb, aliases jsonb, dag_id text, run_id text, task_id text, map_index int, try_number int)),
     ${ASSET_EVENT_CTES}
     SELECT (SELECT array_agg(id::text) FROM ae) AS event_ids, (SELECT array_agg(DISTINCT target_dag_id) FROM aq) AS dag_ids`,
    [JSON.stringify(events.map((e) => ({
      uri: e.uri, extra: e.extra ?? {}, dag_id: e.source?.dagId, run_id: e.source?.runId, task_id: e.source?.taskId,
      map_index: e.source?.mapIndex, try_number: e.source?.tryNumber,
    })))]);
  return { eventIds: result[0]?.event_ids ?? [], queuedDagIds: result[0]?.dag_ids ?? [] };
}

/** DAGs with queued asset events (their runs may be due). */
export async function dagsWithQueuedAssetEvents(db: Queryable): Promise<string[]> {
  const result = await rows<{ target_dag_id: string }>(db, 'dagsWithQueuedAssetEvents', 'SELECT DISTINCT target_dag_id FROM asset_dag_run_queue');
  return result.map((r) => r.target_dag_id);
}

/**
 * SQL for the assets with events queued for the DAG `dagId` names (updated since its last
 * asset-triggered run), in uri order; shared with the DAG list (sql/dag-pages.ts).
 */
export function queuedUrisSql(dagId: string): string {
  return `SELECT DISTINCT a.uri FROM asset_dag_run_queue q JOIN asset a ON a.id = q.asset_id WHERE q.target_dag_id = ${dagId} ORDER BY a.uri`;
}

/**
 * SQL for the aliases resolved to an asset with events queued for the DAG `dagId` names, among
 * those `among` (a jsonb list or a text[] of names, by `kind`), in name order; shared with the
 * DAG list (sql/dag-pages.ts).
 */
export function queuedAliasesSql(dagId: string, among: string, kind: 'jsonb' | 'text[]'): string {
  return `SELECT DISTINCT l.name FROM asset_dag_run_queue q
       JOIN asset_alias_asset x ON x.asset_id = q.asset_id JOIN asset_alias l ON l.id = x.alias_id
     WHERE q.target_dag_id = ${dagId} AND ${kind === 'jsonb' ? `${among} ? l.name` : `l.name = ANY(${among})`} ORDER BY l.name`;
}

/**
 * Those of `aliases` resolved to an asset with events queued for `dagId` (updated since its last
 * asset-triggered run): the aliases of its schedule that hold.
 */
export async function queuedAssetAliases(db: Queryable, dagId: string, aliases: readonly string[]): Promise<string[]> {
  if (aliases.length === 0) return [];
  const result = await rows<{ name: string }>(db, 'queuedAssetAliases', queuedAliasesSql('$1', '$2::text[]', 'text[]'), [dagId, [...aliases]]);
  return result.map((r) => r.name);
}

/** The assets with events queued for `dagId` (updated since its last asset-triggered run). */
export async function queuedAssetUris(db: Queryable, dagId: string): Promise<string[]> {
  const result = await rows<{ uri: string }>(db, 'queuedAssetUris', queuedUrisSql('$1'), [dagId]);
  return result.map((r) => r.uri);
}

/**
 * Creates an asset-triggered run of `r.dagId` when its queue holds an event for each of `uris`,
 * consuming the queued events (kept as the run's triggering events), in one statement: an event
 * queued meanwhile stays for the next run. Returns the run's id, or null when not every asset
 * was updated (or the logical date is taken: nothing is consumed then).
 */
export async function createAssetTriggeredRun(db: Queryable, r: NewDagRun, uris: readonly string[]): Promise<string | null> {
  const result = await rows<{ id: string }>(db, 'createAssetTriggeredRun',
    `WITH ready AS (
       SELECT count(DISTINCT a.uri) = cardinality($18::text[]) AS ok FROM asset_dag_run_queue q JOIN asset a ON a.id = q.asset_id
       WHERE q.target_dag_id = $1 AND a.uri = ANY($18::text[])),
     r AS (
       INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, data_interval_start, data_interval_end, conf, dag_hash)
       SELECT $1, $2, $3, 'queued', $4, $5, $6, $7::jsonb, $8 FROM ready WHERE ready.ok
       ON CONFLICT DO NOTHING
       RETURNING id, dag_id, run_id),
     ${newTaskInstancesCte(9)},
     consumed AS (
       DELETE FROM asset_dag_run_queue q USING r WHERE q.target_dag_id = r.dag_id
       RETURNING r.id AS dag_run_id, q.asset_event_id),
     linked AS (INSERT INTO dag_run_asset_event (dag_run_id, asset_event_id) SELECT dag_run_id, asset_event_id FROM consumed)
     SELECT id FROM r`,
    [r.dagId, r.runId, r.runType, r.logicalDate, r.dataIntervalStart, r.dataIntervalEnd, JSON.stringify(r.conf), r.dagHash,
      ...newTaskArrays(r.tasks), [...uris]]);
  return result[0] === undefined ? null : String(result[0].id);
}

/** An asset as the API shows it. */
export interface AssetView {
  id: string;
  uri: string;
  createdAt: Date;
  updatedAt: Date;
  /** When its latest event was recorded; null: never (an asset a DAG names, not updated yet). */
  lastEventAt: Date | null;
  /** DAGs scheduled on it, or on an alias resolved to it. */
  consumingDagIds: string[];
  /** Tasks that declare it as an outlet, or an alias resolved to it among their outlets. */
  producingTasks: Array<{ dagId: string; taskId: string }>;
  /** Names of the asset aliases resolved to it (tasks added its events through them), by name. */
  aliases: string[];
}

/** The names of the aliases asset `a` resolved to (a subquery). */
const ALIASES_OF_A = 'SELECT l.name FROM asset_alias_asset x JOIN asset_alias l ON l.id = x.alias_id WHERE x.asset_id = a.id';

/** One page of assets (optionally those whose URI contains `uriPattern`), by URI. */
export async function listAssets(db: Queryable, f: { limit: number; offset: number; uriPattern?: string; uri?: string }): Promise<{ rows: AssetView[]; total: number }> {
  const result = await rows<{ id: string; uri: string; created_at: Date; updated_at: Date; last_event_at: Date | null; consuming: string[] | null; producing: Array<{ dag_id: string; task_id: string }> | null; aliases: string[]; total: string }>(db, 'listAssets',
    `SELECT a.id, a.uri, a.created_at, a.updated_at, count(*) OVER () AS total,
       (SELECT e.timestamp FROM asset_event e WHERE e.asset_id = a.id ORDER BY e.timestamp DESC LIMIT 1) AS last_event_at,
       (SELECT array_agg(c.dag_id ORDER BY c.dag_id) FROM (
          SELECT sd.dag_id FROM serialized_dag sd WHERE sd.data -> 'assetSchedule' ? a.uri
          UNION SELECT sd.dag_id FROM serialized_dag sd WHERE sd.data -> 'aliasSchedule' ?| ARRAY(${ALIASES_OF_A})) c) AS consuming,
       (SELECT jsonb_agg(jsonb_build_object('dag_id', sd.dag_id, 'task_id', t ->> 'taskId') ORDER BY sd.dag_id, t ->> 'taskId')
          FROM serialized_dag sd, jsonb_array_elements(sd.data -> 'tasks') t
          WHERE t -> 'outlets' ? a.uri OR t -> 'outletAliases' ?| ARRAY(${ALIASES_OF_A})) AS producing,
       ARRAY(${ALIASES_OF_A} ORDER BY 1) AS aliases
     FROM asset a
     WHERE ($1::text IS NULL OR strpos(a.uri, $1) > 0) AND ($2::text IS NULL OR a.uri = $2)
     ORDER BY a.uri LIMIT $3 OFFSET $4`,
    [f.uriPattern ?? null, f.uri ?? null, f.limit, f.offset]);
  return {
    total: Number(result[0]?.total ?? 0),
    rows: result.map((r) => ({
      id: String(r.id), uri: r.uri, createdAt: r.created_at, updatedAt: r.updated_at, lastEventAt: r.last_event_at, consumingDagIds: r.consuming ?? [],
      producingTasks: (r.producing ?? []).map((p) => ({ dagId: p.dag_id, taskId: p.task_id })), aliases: r.aliases,
    })),
  };
}

/** An asset alias as the API shows it. */
export interface AssetAliasView {
  name: string;
  /** The assets it resolved to (tasks added their events through it), by URI; [] before its first event. */
  uris: string[];
  /** DAGs scheduled on it. */
  consumingDagIds: string[];
  /** Tasks that have it among their outlets. */
  producingTasks: Array<{ dagId: string; taskId: string }>;
}

/**
 * One page of asset aliases by name (optionally those whose name contains `namePattern`): every
 * alias a DAG names (a task's outlets, a schedule), from its first parse, and every alias an event
 * went through.
 */
export async function listAssetAliases(db: Queryable, f: { limit: number; offset: number; namePattern?: string }): Promise<{ rows: AssetAliasView[]; total: number }> {
  const result = await rows<{ name: string; uris: string[]; consuming: string[] | null; producing: Array<{ dag_id: string; task_id: string }> | null; total: string }>(db, 'listAssetAliases',
    `WITH names AS (
       SELECT name FROM asset_alias
       UNION SELECT n FROM serialized_dag sd, jsonb_array_elements_text(sd.data -> 'aliasSchedule') n
         WHERE jsonb_typeof(sd.data -> 'aliasSchedule') = 'array'
       UNION SELECT n FROM serialized_dag sd, jsonb_array_elements(sd.data -> 'tasks') t, jsonb_array_elements_text(t -> 'outletAliases') n
         WHERE jsonb_typeof(t -> 'outletAliases') = 'array')
     SELECT n.name, count(*) OVER () AS total,
       ARRAY(SELECT a.uri FROM asset_alias l JOIN asset_alias_asset x ON x.alias_id = l.id JOIN asset a ON a.id = x.asset_id
             WHERE l.name = n.name ORDER BY a.uri) AS uris,
       (SELECT array_agg(sd.dag_id ORDER BY sd.dag_id) FROM serialized_dag sd WHERE sd.data -> 'aliasSchedule' ? n.name) AS consuming,
       (SELECT jsonb_agg(jsonb_build_object('dag_id', sd.dag_id, 'task_id', t ->> 'taskId') ORDER BY sd.dag_id, t ->> 'taskId')
          FROM serialized_dag sd, jsonb_array_elements(sd.data -> 'tasks') t WHERE t -> 'outletAliases' ? n.name) AS producing
     FROM names n
     WHERE $1::text IS NULL OR strpos(n.name, $1) > 0
     ORDER BY n.name LIMIT $2 OFFSET $3`,
    [f.namePattern ?? null, f.limit, f.offset]);
  return {
    total: Number(result[0]?.total ?? 0),
    rows: result.map((r) => ({
      name: r.name, uris: r.uris, consumingDagIds: r.consuming ?? [],
      producingTasks: (r.producing ?? []).map((p) => ({ dagId: p.dag_id, taskId: p.task_id })),
    })),
  };
}

/** An asset event as the API shows it. */
export interface AssetEventView {
  id: string;
  assetId: string;
  uri: string;
  extra: Record<string, unknown>;
  sourceDagId: string | null;
  sourceRunId: string | null;
  sourceTaskId: string | null;
  sourceMapIndex: number | null;
  /** The aliases its producer added it through (in name order); [] for a declared outlet's event or one posted through the API. */
  sourceAliases: string[];
  timestamp: Date;
  /** Runs it triggered. */
  createdDagRuns: Array<{ dagId: string; runId: string }>;
}

export interface AssetEventFilter {
  limit: number;
  offset: number;
  uri?: string;
  sourceDagId?: string;
  sourceRunId?: string;
  sourceTaskId?: string;
  /** Only the events added through this alias. */
  sourceAlias?: string;
  /** Only the events that triggered this run. */
  triggeredRun?: { dagId: string; runId: string };
  eventId?: string;
}

/** One page of asset events, newest first. */
export async function listAssetEvents(db: Queryable, f: AssetEventFilter): Promise<{ rows: AssetEventView[]; total: number }> {
  const result = await rows<{ id: string; asset_id: string; uri: string; extra: Record<string, unknown>; source_dag_id: string | null; source_run_id: string | null;
    source_task_id: string | null; source_map_index: number | null; source_aliases: string[]; timestamp: Date; created: Array<{ dag_id: string; run_id: string }> | null; total: string }>(db, 'listAssetEvents',
    `SELECT e.id, e.asset_id, a.uri, e.extra, e.source_dag_id, e.source_run_id, e.source_task_id, e.source_map_index, e.source_aliases, e.timestamp,
       count(*) OVER () AS total,
       (SELECT jsonb_agg(jsonb_build_object('dag_id', r.dag_id, 'run_id', r.run_id) ORDER BY r.id)
          FROM dag_run_asset_event l JOIN dag_run r ON r.id = l.dag_run_id WHERE l.asset_event_id = e.id) AS created
     FROM asset_event e JOIN asset a ON a.id = e.asset_id
     WHERE ($1::text IS NULL OR a.uri = $1) AND ($2::text IS NULL OR e.source_dag_id = $2)
       AND ($3::text IS NULL OR e.source_run_id = $3) AND ($4::text IS NULL OR e.source_task_id = $4)
       AND ($5::text IS NULL OR e.id IN (SELECT l.asset_event_id FROM dag_run_asset_event l JOIN dag_run r ON r.id = l.dag_run_id
                                          WHERE r.dag_id = $5 AND r.run_id = $6))
       AND ($9::bigint IS NULL OR e.id = $9) AND ($10::text IS NULL OR $10 = ANY (e.source_aliases))
     ORDER BY e.timestamp DESC, e.id DESC LIMIT $7 OFFSET $8`,
    [f.uri ?? null, f.sourceDagId ?? null, f.sourceRunId ?? null, f.sourceTaskId ?? null,
      f.triggeredRun?.dagId ?? null, f.triggeredRun?.runId ?? null, f.limit, f.offset, f.eventId ?? null, f.sourceAlias ?? null]);
  return {
    total: Number(result[0]?.total ?? 0),
    rows: result.map((r) => ({
      id: String(r.id), assetId: String(r.asset_id), uri: r.uri, extra: r.extra, sourceDagId: r.source_dag_id, sourceRunId: r.source_run_id,
      sourceTaskId: r.source_task_id, sourceMapIndex: r.source_map_index, sourceAliases: r.source_aliases, timestamp: r.timestamp,
      createdDagRuns: (r.created ?? []).map((c) => ({ dagId: c.dag_id, runId: c.run_id })),
    })),
  };
}

/** An event that triggered an asset-triggered run, as its tasks see it (the SDK's `ctx.triggeringAssetEvents`). */
export type TriggeringAssetEvent = SdkTriggeringAssetEvent;

/** The events that triggered a run, by asset URI, oldest first ({} for a run no asset triggered). */
export async function triggeringAssetEvents(db: Queryable, dagRunId: string): Promise<Record<string, TriggeringAssetEvent[]>> {
  const result = await rows<{ uri: string; extra: Record<string, unknown>; timestamp: Date; source_dag_id: string | null; source_run_id: string | null;
    source_task_id: string | null; source_map_index: number | null; source_aliases: string[] }>(db, 'triggeringAssetEvents',
    `SELECT a.uri, e.extra, e.timestamp, e.source_dag_id, e.source_run_id, e.source_task_id, e.source_map_index, e.source_aliases
     FROM dag_run_asset_event l JOIN asset_event e ON e.id = l.asset_event_id JOIN asset a ON a.id = e.asset_id
     WHERE l.dag_run_id = $1 ORDER BY e.timestamp, e.id`, [dagRunId]);
  const out: Record<string, TriggeringAssetEvent[]> = {};
  for (const r of result) {
    (out[r.uri] ??= []).push({
      timestamp: r.timestamp.toISOString(), extra: r.extra ?? {}, sourceDagId: r.source_dag_id, sourceRunId: r.source_run_id,
      sourceTaskId: r.source_task_id, sourceMapIndex: r.source_map_index, sourceAliases: r.source_aliases,
    });
  }
  return out;
}
