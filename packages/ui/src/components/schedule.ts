/** A DAG's schedule for people: the cron expression in words (cronstrue), and the expression. */
import cronstrue from 'cronstrue';
import type { Dag } from '../api/types.js';

const PRESETS: Record<string, string> = {
  '@once': 'Once',
  '@hourly': 'Every hour',
  '@daily': 'Every day at 00:00',
  '@weekly': 'Every Sunday at 00:00',
  '@monthly': 'On the first day of every month at 00:00',
  '@yearly': 'On January 1 at 00:00',
  '@annually': 'On January 1 at 00:00',
};

export function describeSchedule(dag: Pick<Dag, 'schedule_interval' | 'timetable_description'>): { words: string; expression?: string } {
  const interval = dag.schedule_interval;
  // No interval: manual runs only, or asset-driven (the server's words name the assets).
  if (!interval) return { words: dag.timetable_description ?? 'Manual runs only' };
  // A delta timetable: the server's words ("Every 6 hours from the start date").
  if (interval.__type !== 'CronExpression') return { words: dag.timetable_description ?? 'A timetable' };
  const expr = interval.value;
  // A cron trigger timetable: the server's words name its data interval too.
  if (dag.timetable_description && dag.timetable_description !== expr) return { words: dag.timetable_description, expression: expr };
  const preset = PRESETS[expr];
  if (preset) return { words: preset, expression: expr };
  try {
    return { words: cronstrue.toString(expr, { use24HourTimeFormat: true, verbose: false }), expression: expr };
  } catch {
    return { words: dag.timetable_description ?? expr, expression: expr };
  }
}
