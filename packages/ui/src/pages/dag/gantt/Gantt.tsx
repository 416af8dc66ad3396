// The Gantt of one run: a row per task (topological order), each try a bar on a shared time axis,
// its queued wait drawn lighter before its running time. Live: the run's changes refresh the
// tries (the page's event stream), and open bars grow every second until they end.
import { Alert, Group, Skeleton, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { api, ok } from '../../../api/client.js';
import { StateBadge } from '../../../components/StateBadge.js';
import { stateCssColor } from '../../../components/state-colors.js';
import { formatDuration } from '../../../components/time.js';
import type { GridRun } from '../grid-model.js';
import { ganttModel, ticks, type GanttSegment } from './gantt-model.js';
import classes from './Gantt.module.css';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export function useGanttTries(dagId: string, runId: string) {
  return useQuery({
    queryKey: ['dag', dagId, 'gantt', runId],
    queryFn: () => ok(api.GET('/ui/dags/{dag_id}/dagRuns/{dag_run_id}/gantt', { params: { path: { dag_id: dagId, dag_run_id: runId } } })),
  });
}

/** Now, every second while `live` (open bars end at now). */
function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);
  return live ? now : Date.now();
}

function describe(s: GanttSegment): string {
  const what = s.kind === 'queued' ? 'queued' : s.state ?? 'running';
  const idx = s.mapIndex >= 0 ? `[${s.mapIndex}]` : '';
  return `${s.taskId}${idx} try ${s.tryNumber} ${what} ${formatDuration((s.end - s.start) / 1000)}${s.open ? ' so far' : ''}${s.worker && s.kind === 'running' ? ` on ${s.worker}` : ''}`;
}

export function Gantt(props: {
  dagId: string;
  runId: string;
  /** The run's summary when the grid has it (its state in the header). */
  run: GridRun | undefined;
  taskOrder: string[];
  selectedTaskId?: string;
  onSelect(taskId: string, tryNumber?: number): void;
}) {
  const { dagId, runId, run, taskOrder } = props;
  const tries = useGanttTries(dagId, runId);
  const [live, setLive] = useState(false);
  const now = useNow(live);
  const model = useMemo(() => ganttModel(tries.data?.tries ?? [], taskOrder, now), [tries.data, taskOrder, now]);
  useEffect(() => setLive(model.live), [model.live]);

  if (tries.error) return <Alert color="red" title="Could not load the Gantt">{tries.error.message}</Alert>;
  if (!tries.data) return <Skeleton height={200} />;
  const span = model.end - model.start;
  const pct = (t: number) => `${((t - model.start) / span) * 100}%`;
  return (
    <div>
      <Group gap="sm" mb="sm" wrap="wrap">
        <Text size="sm" ff="monospace">{runId}</Text>
        {run && <StateBadge state={run.state} />}
        <Text size="sm" c="dimmed">{formatDuration(span / 1000)} from the first queued try to {model.live ? 'now' : 'the last end'}</Text>
        <Group gap={6} ml="auto" aria-hidden>
          <span className={classes.legend} data-kind="queued" /> <Text size="xs">queued</Text>
          <span className={classes.legend} style={{ background: stateCssColor('success') }} /> <Text size="xs">running (colour of the try's state)</Text>
        </Group>
      </Group>
      <div className={classes.chart} role="figure" aria-label={`Gantt of run ${runId}`}>
        <div />
        <div className={classes.axis}>
          {ticks(model.start, model.end).filter((t) => (t - model.start) / span < 0.94).map((t) => (
            <span key={t} className={classes.tick} style={{ left: pct(t) }}>
              {clock.format(t)}
            </span>
          ))}
        </div>
        {model.rows.map((row) => (
          <div key={row.taskId} className={classes.row} data-testid="gantt-row" data-task={row.taskId}>
            <button type="button" className={classes.label} data-selected={row.taskId === props.selectedTaskId || undefined} onClick={() => props.onSelect(row.taskId)}>
              {row.taskId}
            </button>
            <div className={classes.track}>
              {row.segments.map((s) => (
                <button
                  type="button"
                  key={`${s.mapIndex}/${s.tryNumber}/${s.kind}`}
                  className={classes.bar}
                  data-testid="gantt-bar"
                  data-task={s.taskId}
                  data-try={s.tryNumber}
                  data-kind={s.kind}
                  data-state={s.state ?? 'none'}
                  data-open={s.open || undefined}
                  style={{ left: pct(s.start), width: `max(3px, ${((s.end - s.start) / span) * 100}%)`, ...(s.kind === 'running' ? { background: stateCssColor(s.state) } : {}) }}
                  title={describe(s)}
                  aria-label={describe(s)}
                  onClick={() => props.onSelect(s.taskId, s.tryNumber)}
                />
              ))}
            </div>
          </div>
        ))}
      </div>
      {tries.data.tries.length === 0 && (
        <Text c="dimmed" size="sm" mt="sm">
          No task of this run has been queued yet.
        </Text>
      )}
    </div>
  );
}
