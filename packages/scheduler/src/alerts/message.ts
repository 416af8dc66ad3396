/**
 * What an alert says, whatever carries it (Slack, e-mail, webhook): the event as a state with its
 * colour and emoji, the DAG, task, run, "try N of M", the logical date and the try's (or run's)
 * times in the notifier's timezone, the duration, the host, the error, the last log lines, and the
 * links (the try's log in the web UI; what a Retry button names).
 */
import { timeZoneFormatter, type AlertTarget } from '@updraft/sdk';
import type { alertsSql } from '@updraft/core';

export interface AlertField {
  label: string;
  value: string;
}

/** The task instance try a Retry button clears. */
export interface RetryTarget {
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  tryNumber: number;
}

/** One task of a grouped failure message. */
export interface GroupedTask {
  taskId: string;
  mapIndex: number;
  /** "2 of 2". */
  tryText: string;
  exception: string | null;
  hostname: string | null;
  endedAt: string | null;
  logUrl: string;
}

export interface AlertMessage {
  /** Idempotency key of this alert (event and notifier): also the e-mail's Message-ID and the webhook's Idempotency-Key. */
  key: string;
  event: string;
  /** What happened, in words: 'failed', 'up for retry', 'succeeded', 'started'. */
  state: string;
  /** Hex colour of the state (Slack attachment bar, e-mail header). */
  color: string;
  /** Slack emoji code of the state. */
  emoji: string;
  /** One line: "Task failed: etl_daily.load (try 2 of 2)". */
  title: string;
  dagId: string;
  runId: string;
  taskId: string | null;
  /** "2 of 2" for task events; null for DAG run events. */
  tryText: string | null;
  timezone: string;
  fields: AlertField[];
  exception: string | null;
  logTail: string[];
  /** The try's log (or the run) in the web UI. */
  logUrl: string;
  /** Set for failed tries (onFailure, onRetry) of one task. */
  retry: RetryTarget | null;
  /** Set when several task failures of one run go out as one message (alerts.group_window); logUrl is then the run's. */
  tasks: GroupedTask[] | null;
  /** ISO instants, for machine readers (webhook). */
  logicalDate: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  hostname: string | null;
}

const STATES: Record<string, { state: string; color: string; emoji: string }> = {
  onFailure: { state: 'failed', color: '#D62828', emoji: ':red_circle:' },
  onRetry: { state: 'up for retry', color: '#F4A261', emoji: ':large_orange_circle:' },
  onSuccess: { state: 'succeeded', color: '#2A9D8F', emoji: ':large_green_circle:' },
  onExecute: { state: 'started', color: '#457B9D', emoji: ':large_blue_circle:' },
  onDagRunFailure: { state: 'failed', color: '#D62828', emoji: ':red_circle:' },
  onDagRunSuccess: { state: 'succeeded', color: '#2A9D8F', emoji: ':large_green_circle:' },
  onDagRunRecovered: { state: 'recovered', color: '#2A9D8F', emoji: ':white_check_mark:' },
  onDeadlineMiss: { state: 'not finished by its deadline', color: '#F4A261', emoji: ':alarm_clock:' },
};

/** `2026-12-02 11:05:09` in `timezone`. */
export function formatInstant(at: Date, timezone: string): string {
  const p: Record<string, string> = {};
  for (const part of timeZoneFormatter(timezone).formatToParts(at)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `1h 02m 03s`, `4m 05s`, `3.2s`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(Math.round(ms / 100) / 10).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m ${s}s` : `${m}m ${s}s`;
}

export function alertKey(a: Pick<alertsSql.ClaimedAlert, 'dagId' | 'runId' | 'taskId' | 'mapIndex' | 'tryNumber' | 'event' | 'notifierIndex'>): string {
  return [a.dagId, a.runId, a.taskId ?? '', String(a.mapIndex), String(a.tryNumber), a.event, String(a.notifierIndex)].map(encodeURIComponent).join('/');
}

export function buildMessage(a: alertsSql.ClaimedAlert, o: { logTail: string[]; logUrl: string }): AlertMessage {
  const target: AlertTarget = a.target;
  const timezone = target.timezone ?? 'UTC';
  const look = STATES[a.event] ?? { state: a.event, color: '#6C757D', emoji: ':white_circle:' };
  const at = (d: Date | null): string => (d === null ? '–' : `${formatInstant(d, timezone)} (${timezone})`);
  const tryText = a.taskId === null ? null : `${a.tryNumber} of ${Math.max(a.maxTries, a.tryNumber)}`;
  const taskName = a.taskId === null ? null : a.mapIndex >= 0 ? `${a.taskId}[${a.mapIndex}]` : a.taskId;
  const title = taskName === null
    ? `DAG run ${look.state}: ${a.dagId}`
    : `Task ${look.state}: ${a.dagId}.${taskName} (try ${tryText})`;
  const fields: AlertField[] = [
    { label: 'DAG', value: a.dagId },
    ...(taskName === null ? [] : [{ label: 'Task', value: taskName }, { label: 'Try', value: tryText! }]),
    { label: 'Run', value: a.runId },
    { label: `Logical date`, value: at(a.logicalDate) },
    { label: 'Started', value: at(a.startedAt) },
    ...(a.event === 'onExecute' ? [] : [{ label: 'Ended', value: at(a.endedAt) }]),
    ...(a.durationMs === null ? [] : [{ label: 'Duration', value: formatDuration(a.durationMs) }]),
    ...(a.hostname === null ? [] : [{ label: 'Host', value: a.hostname }]),
  ];
  const failedTry = a.taskId !== null && (a.event === 'onFailure' || a.event === 'onRetry');
  return {
    key: alertKey(a), event: a.event, state: look.state, color: look.color, emoji: look.emoji, title,
    dagId: a.dagId, runId: a.runId, taskId: a.taskId, tryText, timezone, fields, exception: a.exception, logTail: o.logTail,
    logUrl: o.logUrl,
    retry: failedTry ? { dagId: a.dagId, runId: a.runId, taskId: a.taskId!, mapIndex: a.mapIndex, tryNumber: a.tryNumber } : null,
    tasks: null,
    logicalDate: a.logicalDate.toISOString(), startedAt: a.startedAt?.toISOString() ?? null, endedAt: a.endedAt?.toISOString() ?? null,
    durationMs: a.durationMs, hostname: a.hostname,
  };
}

/**
 * One message for several task failures of one run to one notifier: the run's fields, then each
 * task with its try, host, end and error, linked to its log; View log opens the run.
 */
export function buildGroupMessage(group: readonly alertsSql.ClaimedAlert[], o: { logUrls: readonly string[]; runUrl: string }): AlertMessage {
  const first = group[0]!;
  const base = buildMessage(first, { logTail: [], logUrl: o.runUrl });
  const tasks: GroupedTask[] = group.map((a, i) => ({
    taskId: a.taskId ?? '', mapIndex: a.mapIndex, tryText: `${a.tryNumber} of ${Math.max(a.maxTries, a.tryNumber)}`,
    exception: a.exception, hostname: a.hostname, endedAt: a.endedAt?.toISOString() ?? null, logUrl: o.logUrls[i]!,
  }));
  const at = (d: Date): string => `${formatInstant(d, base.timezone)} (${base.timezone})`;
  return {
    ...base,
    // The group's key is its first row's: a repeat of the same group keeps it.
    title: `${group.length} tasks failed: ${first.dagId} (run ${first.runId})`,
    taskId: null, tryText: null, retry: null, exception: null, logTail: [], tasks,
    fields: [
      { label: 'DAG', value: first.dagId }, { label: 'Run', value: first.runId }, { label: 'Logical date', value: at(first.logicalDate) },
      { label: 'Failed tasks', value: String(group.length) },
    ],
    startedAt: null, endedAt: null, durationMs: null, hostname: null,
  };
}

/** "load[3] (try 2 of 2) on worker-1: error" for a grouped task. */
export function groupedTaskLine(t: GroupedTask): string {
  const name = t.mapIndex >= 0 ? `${t.taskId}[${t.mapIndex}]` : t.taskId;
  return `${name} (try ${t.tryText})${t.hostname === null ? '' : ` on ${t.hostname}`}${t.exception ? `: ${t.exception}` : ''}`;
}
