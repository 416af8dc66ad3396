/**
 * The event log of changes made from the command line, as the webserver and the monitor record
 * theirs: who (the operating-system user, as Airflow's CLI records it), what (`cli.<change>`),
 * which DAG, run or task. Written after the change, in the command's own database connection;
 * `extra` names what changed and never holds a secret (no password, URI, value or token).
 */
import { userInfo } from 'node:os';
import { eventLogSql, type Queryable } from '@updraft/core';

/** An event of the log without its owner (the command's user) and address (none); `event` without the `cli.` prefix: `trigger`, `pool.set`, ... */
export type CliEvent = Omit<eventLogSql.NewEvent, 'owner' | 'remoteAddr'>;

/** The user who ran the command: $USER, else the account of the process (null if neither is known). */
export function cliOwner(): string | null {
  if (process.env.USER) return process.env.USER;
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

export async function recordCliEvents(db: Queryable, events: readonly CliEvent[]): Promise<void> {
  const owner = cliOwner();
  await eventLogSql.insertEvents(db, events.map((e) => ({ ...e, event: `cli.${e.event}`, owner })));
}
