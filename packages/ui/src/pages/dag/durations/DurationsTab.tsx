// How long each task took over the latest runs (Airflow's Task Duration view): a line per task and
// a dashed one for the whole run, oldest run on the left, in a unit that suits the longest; a
// point's run, task and duration on hover, a click opens that task instance.
import { Group, Stack, Text } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { formatDuration } from '../../../components/time.js';
import type { GridData } from '../../../api/types.js';
import { durationAxis, durationsModel } from './durations-model.js';

const W = 960;
const H = 320;
const PAD = { left: 56, right: 16, top: 12, bottom: 40 };
const COLORS = ['blue', 'teal', 'grape', 'orange', 'cyan', 'pink', 'indigo', 'lime', 'red', 'violet', 'yellow', 'green'];
const color = (i: number) => `var(--mantine-color-${COLORS[i % COLORS.length]}-6)`;

export function DurationsTab({ dagId, grid, taskOrder }: { dagId: string; grid: GridData | undefined; taskOrder: string[] }) {
  const navigate = useNavigate();
  const [hovered, setHovered] = useState<string | null>(null);
  const model = useMemo(() => (grid ? durationsModel(grid, taskOrder) : undefined), [grid, taskOrder]);
  if (!model) return null;
  if (model.series.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="durations-empty">
        No task has run yet.
      </Text>
    );
  }
  const axis = durationAxis(model.maxSeconds);
  const n = model.runs.length;
  const xOf = (i: number) => PAD.left + (n === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const yOf = (seconds: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - seconds / axis.perUnit / axis.top);
  const labelEvery = Math.max(1, Math.ceil(n / 8));
  // Runs of one day are told apart by their time, runs of one minute by their seconds (or milliseconds:
  // a DAG's runs never share a logical date); the day shows at the first label and where it changes.
  const dayOf = (iso: string) => new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  const minuteOf = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const secondOf = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const msOf = (iso: string) => `${secondOf(iso)}.${String(new Date(iso).getMilliseconds()).padStart(3, '0')}`;
  const dates = model.runs.map((r) => r.logicalDate);
  const distinct = (f: (iso: string) => string) => new Set(dates.map((d) => `${dayOf(d)} ${f(d)}`)).size === dates.length;
  const timeOf = [minuteOf, secondOf].find(distinct) ?? msOf;
  const byDay = new Set(dates.map(dayOf)).size === dates.length;
  const labelOf = (i: number) => {
    if (byDay) return dayOf(dates[i]!);
    const shown = [...Array(i).keys()].filter((j) => j % labelEvery === 0).pop();
    return shown === undefined || dayOf(dates[shown]!) !== dayOf(dates[i]!) ? `${dayOf(dates[i]!)}, ${timeOf(dates[i]!)}` : timeOf(dates[i]!);
  };
  const runLine = model.runs.flatMap((r, i) => (r.seconds === null ? [] : [`${xOf(i)},${yOf(r.seconds)}`])).join(' ');
  return (
    <Stack gap="xs" data-testid="durations">
      <Text size="sm" c="dimmed">
        Duration of each task over the latest {n} {n === 1 ? 'run' : 'runs'} (oldest left), in {axis.unit}; dashed: the whole run.
      </Text>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="task durations" style={{ maxWidth: W, overflow: 'visible' }}>
        {axis.ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={yOf(t * axis.perUnit)} y2={yOf(t * axis.perUnit)} stroke="var(--mantine-color-default-border)" />
            <text x={PAD.left - 6} y={yOf(t * axis.perUnit) + 4} textAnchor="end" fontSize={11} fill="var(--mantine-color-dimmed)">
              {t}
            </text>
          </g>
        ))}
        {model.runs.map((r, i) =>
          i % labelEvery === 0 || i === n - 1 ? (
            <text key={r.runId} x={xOf(i)} y={H - PAD.bottom + 18} textAnchor="middle" fontSize={11} fill="var(--mantine-color-dimmed)" data-testid="durations-x-label">
              {labelOf(i)}
            </text>
          ) : null,
        )}
        {runLine && <polyline points={runLine} fill="none" stroke="var(--mantine-color-gray-6)" strokeDasharray="5 4" strokeWidth={1.5} data-testid="durations-run-line" />}
        {model.series.map((s, k) => {
          const dim = hovered !== null && hovered !== s.taskId;
          return (
            <g key={s.taskId} data-testid="durations-series" data-task={s.taskId} opacity={dim ? 0.2 : 1}>
              <polyline points={s.points.map((p) => `${xOf(p.x)},${yOf(p.seconds)}`).join(' ')} fill="none" stroke={color(k)} strokeWidth={2} />
              {s.points.map((p) => (
                <circle
                  key={p.runId}
                  cx={xOf(p.x)}
                  cy={yOf(p.seconds)}
                  r={4}
                  fill={color(k)}
                  style={{ cursor: 'pointer' }}
                  data-testid="durations-point"
                  data-run={p.runId}
                  data-seconds={p.seconds}
                  onMouseEnter={() => setHovered(s.taskId)}
                  onMouseLeave={() => setHovered(null)}
                  onClick={() => void navigate({ to: '/dags/$dagId/runs/$runId/tasks/$taskId', params: { dagId, runId: p.runId, taskId: s.taskId }, search: {} })}
                >
                  <title>{`${s.taskId} · ${p.runId}: ${formatDuration(p.seconds)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <Group gap="md">
        {model.series.map((s, k) => (
          <Text
            key={s.taskId}
            size="xs"
            ff="monospace"
            onMouseEnter={() => setHovered(s.taskId)}
            onMouseLeave={() => setHovered(null)}
            data-testid="durations-legend"
          >
            <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 2, background: color(k), marginRight: 4 }} />
            {s.taskId}
          </Text>
        ))}
      </Group>
    </Stack>
  );
}
