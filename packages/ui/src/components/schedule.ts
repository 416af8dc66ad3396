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
  const expr = dag.schedule_interval?.value;
  if (!expr) return { words: 'Manual runs only' };
  const preset = PRESETS[expr];
  if (preset) return { words: preset, expression: expr };
  try {
    return { words: cronstrue.toString(expr, { use24HourTimeFormat: true, verbose: false }), expression: expr };
  } catch {
    return { words: dag.timetable_description ?? expr, expression: expr };
  }
}
