/**
 * Task events: each try read from the database becomes the event of its latest moment (queued,
 * requeued, started, succeeded, failed, up for retry, zombie, killed), and a Flower-like search
 * (`state:failed worker:w1 dag:etl_*`) becomes filters. `*` matches any text, `?` one character;
 * a bare word matches the DAG or task id.
 */
import { UpdraftError, type fleetSql } from '@updraft/core/data';

export const TASK_EVENTS = ['queued', 'requeued', 'started', 'succeeded', 'failed', 'up_for_retry', 'zombie', 'killed'] as const;
export type TaskEventName = (typeof TASK_EVENTS)[number];

export function eventOf(t: Pick<fleetSql.TryEvent, 'tryState' | 'requeueCount' | 'error' | 'taskTryNumber' | 'taskState' | 'tryNumber'>): TaskEventName {
  switch (t.tryState) {
    case 'queued': return t.requeueCount > 0 ? 'requeued' : 'queued';
    case 'running': return 'started';
    case 'success': return 'succeeded';
    default: {
      const error = t.error ?? '';
      if (/^zombie/i.test(error)) return 'zombie';
      if (/terminated|killed/i.test(error)) return 'killed';
      if (t.taskTryNumber > t.tryNumber || (t.taskState === 'up_for_retry' && t.taskTryNumber === t.tryNumber)) return 'up_for_retry';
      return 'failed';
    }
  }
}

/** Which try states can produce an event (the database filters on these first). */
const TRY_STATES_OF: Record<TaskEventName, string> = {
  queued: 'queued', requeued: 'queued', started: 'running', succeeded: 'success', failed: 'failed',
  up_for_retry: 'failed', zombie: 'failed', killed: 'failed',
};
const EVENT_ALIASES: Record<string, TaskEventName> = { running: 'started', success: 'succeeded', retry: 'up_for_retry', 'up-for-retry': 'up_for_retry' };

export interface TaskSearch {
  dag?: string;
  task?: string;
  queue?: string;
  worker?: string;
  events?: TaskEventName[];
  /** A bare word: matches the DAG or the task id. */
  text?: string;
}

const SEARCH_KEYS = ['state', 'event', 'worker', 'dag', 'task', 'queue'] as const;

/** `state:failed worker:w1 dag:etl_*` -> filters; an unknown key or state is a clear error. */
export function parseTaskSearch(q: string, field = 'query.q'): TaskSearch {
  const out: TaskSearch = {};
  for (const token of q.trim().split(/\s+/).filter(Boolean)) {
    const i = token.indexOf(':');
    if (i < 0) {
      out.text = out.text === undefined ? token : `${out.text} ${token}`;
      continue;
    }
    const key = token.slice(0, i).toLowerCase();
    const value = token.slice(i + 1);
    if (value === '') throw new UpdraftError('INVALID_ARGUMENT', `${field}: ${key}: needs a value (e.g. ${key}:x)`);
    switch (key) {
      case 'state':
      case 'event': {
        const events = value.split(',').map((v) => {
          const name = (EVENT_ALIASES[v.toLowerCase()] ?? v.toLowerCase()) as TaskEventName;
          if (!TASK_EVENTS.includes(name)) throw new UpdraftError('INVALID_ARGUMENT', `${field}: unknown state ${JSON.stringify(v)}; one of ${TASK_EVENTS.join(', ')}`);
          return name;
        });
        out.events = [...(out.events ?? []), ...events];
        break;
      }
      case 'worker': out.worker = value; break;
      case 'dag': out.dag = value; break;
      case 'task': out.task = value; break;
      case 'queue': out.queue = value; break;
      default:
        throw new UpdraftError('INVALID_ARGUMENT', `${field}: unknown search key ${JSON.stringify(key)}; use ${SEARCH_KEYS.join(', ')}`);
    }
  }
  return out;
}

/** A glob (`etl_*`) as a SQL LIKE pattern, with LIKE's own wildcards escaped. */
export function globToLike(glob: string): string {
  return glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_');
}

export function tryStatesFor(events: readonly TaskEventName[] | undefined): string[] | undefined {
  return events === undefined ? undefined : [...new Set(events.map((e) => TRY_STATES_OF[e]))];
}
