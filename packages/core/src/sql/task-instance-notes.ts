/**
 * Notes on task instances (Airflow's task instance note): one per instance, kept across its tries
 * and clears; the task instance pages read them (task-instance-pages.ts).
 */
import type { Queryable } from '../db/types.js';
import type { TaskInstanceKey } from '../state/keys.js';
import { rows } from './query.js';

/** Sets (or, with null, removes) the note of a task instance; false when there is no such instance. */
export async function setTaskInstanceNote(db: Queryable, k: TaskInstanceKey, note: string | null, user: string | null): Promise<boolean> {
  const result = await rows<{ found: boolean }>(db, 'setTaskInstanceNote',
    `WITH ti AS (SELECT 1 FROM task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND map_index = $4),
     d AS (DELETE FROM task_instance_note WHERE $5::text IS NULL AND dag_id = $1 AND run_id = $2 AND task_id = $3 AND map_index = $4),
     u AS (
       INSERT INTO task_instance_note (dag_id, run_id, task_id, map_index, content, updated_by)
       SELECT $1, $2, $3, $4, $5, $6 FROM ti WHERE $5::text IS NOT NULL
       ON CONFLICT (dag_id, run_id, task_id, map_index) DO UPDATE SET content = EXCLUDED.content, updated_by = EXCLUDED.updated_by, updated_at = now())
     SELECT EXISTS (SELECT 1 FROM ti) AS found`,
    [k.dagId, k.runId, k.taskId, k.mapIndex, note, user]);
  return result[0]?.found === true;
}
