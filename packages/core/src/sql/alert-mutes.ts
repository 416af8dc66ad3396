/**
 * Alert mutes: per DAG, or for every DAG ('*'), until a time. The alert sender marks the alerts of
 * a muted DAG 'muted' instead of sending them (they stay listed, with the mute as their reason).
 */
import type { Queryable } from '../db/types.js';
import { query, rows } from './query.js';

/** The dag_id of a mute of every DAG. */
export const ALL_DAGS = '*';

export interface AlertMute {
  dagId: string;
  until: Date;
  mutedBy: string;
  reason: string;
}

/** Mutes a DAG (or every DAG) until `until`; a mute already there is replaced. */
export async function muteAlerts(db: Queryable, m: AlertMute): Promise<void> {
  await query(db, 'muteAlerts',
    `INSERT INTO alert_mute (dag_id, until, muted_by, reason) VALUES ($1, $2, $3, $4)
     ON CONFLICT (dag_id) DO UPDATE SET until = EXCLUDED.until, muted_by = EXCLUDED.muted_by, reason = EXCLUDED.reason, created_at = now()`,
    [m.dagId, m.until, m.mutedBy, m.reason]);
}

/** Ends a mute; false when there was none in force. */
export async function unmuteAlerts(db: Queryable, dagId: string): Promise<boolean> {
  const r = await rows<{ active: boolean }>(db, 'unmuteAlerts', 'DELETE FROM alert_mute WHERE dag_id = $1 RETURNING until > now() AS active', [dagId]);
  return r.some((x) => x.active);
}

/** The mutes in force, soonest end first. */
export async function listAlertMutes(db: Queryable): Promise<AlertMute[]> {
  const result = await rows<{ dag_id: string; until: Date; muted_by: string; reason: string }>(db, 'listAlertMutes',
    'SELECT dag_id, until, muted_by, reason FROM alert_mute WHERE until > now() ORDER BY until, dag_id');
  return result.map((r) => ({ dagId: r.dag_id, until: r.until, mutedBy: r.muted_by, reason: r.reason }));
}

/**
 * Of the claimed alerts `ids`, those of a muted DAG become 'muted' (the mute's end as their error);
 * returns their ids. The claim's attempt guards it like the other marks.
 */
export async function markMutedAlerts(db: Queryable, claimed: ReadonlyArray<{ id: string; attempts: number }>): Promise<Set<string>> {
  if (claimed.length === 0) return new Set();
  const result = await rows<{ id: string }>(db, 'markMutedAlerts',
    `UPDATE alert_outbox a SET state = 'muted', lease_until = NULL, sent_at = now(), error = (
         SELECT 'muted until ' || to_char(m.until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || CASE WHEN m.reason <> '' THEN ': ' || m.reason ELSE '' END
           FROM alert_mute m WHERE m.dag_id IN (a.dag_id, '*') AND m.until > now() ORDER BY m.until DESC LIMIT 1)
       FROM unnest($1::bigint[], $2::int[]) AS c(id, attempts)
      WHERE a.id = c.id AND a.attempts = c.attempts AND a.state = 'sending'
        AND EXISTS (SELECT 1 FROM alert_mute m WHERE m.dag_id IN (a.dag_id, '*') AND m.until > now())
      RETURNING a.id::text AS id`,
    [claimed.map((c) => c.id), claimed.map((c) => c.attempts)]);
  return new Set(result.map((r) => r.id));
}
