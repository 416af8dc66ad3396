/** The DAGs a user marked as a favourite (Airflow's favorite DAGs), one row per user and DAG. */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';

/**
 * Marks (`favorite` true) or unmarks DAG `dagId` as a favourite of user `userId`; doing it twice
 * changes nothing. False when there is no such DAG.
 */
export async function setFavorite(db: Queryable, userId: string, dagId: string, favorite: boolean): Promise<boolean> {
  const [r] = await rows<{ found: boolean }>(db, favorite ? 'favoriteDag' : 'unfavoriteDag', favorite
    ? `WITH d AS (SELECT dag_id FROM dag WHERE dag_id = $2),
       ins AS (INSERT INTO dag_favorite (user_id, dag_id) SELECT $1, dag_id FROM d ON CONFLICT DO NOTHING)
       SELECT EXISTS (SELECT 1 FROM d) AS found`
    : `WITH d AS (SELECT dag_id FROM dag WHERE dag_id = $2),
       del AS (DELETE FROM dag_favorite WHERE user_id = $1 AND dag_id = $2)
       SELECT EXISTS (SELECT 1 FROM d) AS found`,
    [userId, dagId]);
  return r!.found;
}

/** The ids of user `userId`'s favourite DAGs, by id. */
export async function favoriteDagIds(db: Queryable, userId: string): Promise<string[]> {
  const result = await rows<{ dag_id: string }>(db, 'favoriteDagIds',
    'SELECT dag_id FROM dag_favorite WHERE user_id = $1 ORDER BY dag_id', [userId], { prepare: true });
  return result.map((r) => r.dag_id);
}
