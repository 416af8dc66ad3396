// Runs (columns, newest right) x tasks (rows, topological order). Each cell is a task instance
// coloured by state; the bar above a column is the run, sized by its duration. One hover card
// and one click handler serve the whole grid (5,000 cells must not mean 5,000 tooltips or
// 10,000 handlers), and rows are memoized.
import { Box, Paper, Text } from '@mantine/core';
import { memo, useMemo, useState } from 'react';
import { stateCssColor } from '../../components/state-colors.js';
import { formatDate, formatDuration } from '../../components/time.js';
import { indexCells, runDuration, type GridData, type GridRun, type GridTaskInstance } from './grid-model.js';
import classes from './Grid.module.css';

export interface GridSelection {
  runId?: string;
  taskId?: string;
}

interface Hover {
  x: number;
  y: number;
  run: GridRun;
  ti?: GridTaskInstance;
  taskId?: string;
}

const BAR_HEIGHT = 64;

function HoverCard({ hover }: { hover: Hover }) {
  const { run, ti } = hover;
  return (
    <Paper shadow="md" p="xs" withBorder className={classes.hover} style={{ left: hover.x, top: hover.y }} role="tooltip">
      {ti ? (
        <>
          <Text size="xs" fw={700}>
            {ti.task_id}
          </Text>
          <Text size="xs">state: {ti.state ?? 'no status'}</Text>
          {ti.try_number > 0 && <Text size="xs">try: {ti.try_number} of {ti.max_tries}</Text>}
          {ti.duration != null && <Text size="xs">duration: {formatDuration(ti.duration)}</Text>}
          {ti.worker && <Text size="xs">worker: {ti.worker}{ti.hostname ? ` (${ti.hostname})` : ''}</Text>}
        </>
      ) : (
        <>
          <Text size="xs" fw={700}>
            {run.dag_run_id}
          </Text>
          <Text size="xs">state: {run.state}</Text>
          <Text size="xs">{run.run_type} · {formatDate(run.logical_date)}</Text>
          {runDuration(run) != null && <Text size="xs">duration: {formatDuration(runDuration(run))}</Text>}
        </>
      )}
    </Paper>
  );
}

/** One task's row: memoized, so a new selection or hover redraws no row but the ones it changes. */

export type TaskRole = 'setup' | 'teardown';
const GridRow = memo(function GridRow(props: {
  taskId: string;
  role: TaskRole | undefined;
  runs: GridRun[];
  cells: Map<string, GridTaskInstance>;
  selectedRunId: string | undefined;
  taskSelected: boolean;
}) {
  const { taskId, role, runs, cells, selectedRunId } = props;
  return (
    <div className={classes.row} role="row">
      <div className={classes.taskName} data-selected={props.taskSelected ? true : undefined}>
        <Text size="xs" truncate="end" title={role ? `${taskId} (${role} task)` : taskId} data-role={role}>
          {role === 'setup' ? '↑ ' : role === 'teardown' ? '↓ ' : ''}
          {taskId}
        </Text>
      </div>
      {runs.map((run) => {
        const ti = cells.get(`${run.dag_run_id}\0${taskId}`);
        return (
          <button
            key={run.dag_run_id}
            type="button"
            role="gridcell"
            className={classes.cell}
            data-selected={selectedRunId === run.dag_run_id ? true : undefined}
            data-testid="grid-cell"
            data-task={taskId}
            data-run={run.dag_run_id}
            data-state={ti?.state ?? 'none'}
            aria-label={`${taskId} in ${run.dag_run_id}: ${ti?.state ?? 'no status'}`}
          >
            <span className={classes.square} style={ti?.state ? { background: stateCssColor(ti.state) } : undefined} />
          </button>
        );
      })}
    </div>
  );
});

export const Grid = memo(function Grid(props: {
  data: GridData;
  taskOrder: string[];
  /** Setup and teardown tasks, marked ↑ and ↓ before their ids (as Airflow's grid does). */
  roles?: ReadonlyMap<string, TaskRole>;
  selection: GridSelection;
  onSelectRun(runId: string): void;
  onSelectCell(runId: string, taskId: string): void;
}) {
  const { data, taskOrder, selection } = props;
  const [hover, setHover] = useState<Hover | null>(null);
  const runs = useMemo(() => [...data.dag_runs].reverse(), [data.dag_runs]);
  const runById = useMemo(() => new Map(runs.map((r) => [r.dag_run_id, r])), [runs]);
  const cells = useMemo(() => indexCells(data.task_instances), [data.task_instances]);
  const maxDuration = Math.max(1, ...runs.map((r) => runDuration(r) ?? 0));
  const cols = `minmax(140px, max-content) repeat(${runs.length}, 18px)`;

  // One click and one hover handler for the whole grid (5,000 cells): the cell or run column
  // under the pointer says what it is in its data attributes.
  const target = (e: React.SyntheticEvent) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-testid="grid-cell"], [data-testid="grid-run"]');
    const run = el?.dataset.run ? runById.get(el.dataset.run) : undefined;
    return el && run ? { el, run, taskId: el.dataset.task } : null;
  };
  const onClick = (e: React.MouseEvent) => {
    const t = target(e);
    if (!t) return;
    if (t.taskId) props.onSelectCell(t.run.dag_run_id, t.taskId);
    else props.onSelectRun(t.run.dag_run_id);
  };
  const onMouseOver = (e: React.MouseEvent) => {
    const t = target(e);
    if (!t) return;
    const box = t.el.getBoundingClientRect();
    const ti = t.taskId ? cells.get(`${t.run.dag_run_id}\0${t.taskId}`) : undefined;
    setHover({ x: box.right + 8, y: box.top, run: t.run, ...(ti ? { ti } : {}), ...(t.taskId ? { taskId: t.taskId } : {}) });
  };

  return (
    <Box className={classes.scroller} onMouseLeave={() => setHover(null)}>
      <div className={classes.grid} style={{ gridTemplateColumns: cols }} role="grid" aria-label="runs and task instances" onClick={onClick} onMouseOver={onMouseOver}>
        <div className={classes.corner} role="row">
          <Text size="xs" c="dimmed">
            {runs.length} {runs.length === 1 ? 'run' : 'runs'}
          </Text>
        </div>
        {runs.map((run) => {
          const d = runDuration(run) ?? 0;
          return (
            <button
              key={run.dag_run_id}
              type="button"
              className={classes.runCol}
              data-selected={selection.runId === run.dag_run_id && !selection.taskId ? true : undefined}
              aria-label={`run ${run.dag_run_id}: ${run.state}`}
              data-testid="grid-run"
              data-run={run.dag_run_id}
              data-state={run.state}
            >
              <span className={classes.runBar} style={{ height: Math.max(4, (d / maxDuration) * BAR_HEIGHT), background: stateCssColor(run.state) }} />
            </button>
          );
        })}
        {taskOrder.map((taskId) => (
          <GridRow
            key={taskId}
            taskId={taskId}
            role={props.roles?.get(taskId)}
            runs={runs}
            cells={cells}
            selectedRunId={selection.taskId === taskId ? selection.runId : undefined}
            taskSelected={selection.taskId === taskId}
          />
        ))}
      </div>
      {hover && <HoverCard hover={hover} />}
    </Box>
  );
});
