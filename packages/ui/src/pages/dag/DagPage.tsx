// A DAG: header with its schedule and actions; tabs grid / graph / gantt / runs / code / details;
// the selected run or task instance in a panel beside the grid (below it on a phone). The
// selection is the URL: /dags/{dag}/runs/{run}/tasks/{task}?try=N.
import { Alert, Badge, Group, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { useLiveEvents } from '../../api/live-events.js';
import { DeleteDagButton } from '../../components/actions/DeleteDagButton.js';
import { PauseSwitch, TriggerButton } from '../../components/DagActions.js';
import { AssetProgress, hasAssetProgress } from '../../components/AssetProgress.js';
import { FavoriteStar } from '../../components/favorites.js';
import { describeSchedule } from '../../components/schedule.js';
import { DAG_TABS, type DagTab } from './dag-search.js';
import { CalendarTab } from './calendar/CalendarTab.js';
import { CodeTab } from './code/CodeTab.js';
import { DurationsTab } from './durations/DurationsTab.js';
import { DetailsTab } from './DetailsTab.js';
import { Gantt } from './gantt/Gantt.js';
import { Grid, type TaskRole } from './Grid.js';
import { topologicalOrder } from './grid-model.js';
import { RunsTab } from './RunsTab.js';
import { SelectionPanel } from './SelectionPanel.js';
import { useDag, useDagTasks, useGrid } from './use-dag-data.js';
import classes from './DagPage.module.css';

// The graph brings the layout engine and xyflow: loaded only when its tab opens.
const GraphView = lazy(() => import('./graph/GraphView.js'));

const TAB_LABELS: Record<DagTab, string> = { grid: 'Grid', graph: 'Graph', gantt: 'Gantt', calendar: 'Calendar', durations: 'Durations', runs: 'Runs', code: 'Code', details: 'Details' };

export interface DagSelection {
  dagId: string;
  runId?: string;
  taskId?: string;
}

/** The selection from the route: /dags/$dagId[/runs/$runId[/tasks/$taskId]]. */
export function useDagSelection(): DagSelection {
  const params = useParams({ strict: false }) as { dagId?: string; runId?: string; taskId?: string };
  return {
    dagId: params.dagId ?? '',
    ...(params.runId ? { runId: params.runId } : {}),
    ...(params.taskId ? { taskId: params.taskId } : {}),
  };
}

export function useSelect() {
  const navigate = useNavigate();
  return {
    run: (dagId: string, runId: string) => void navigate({ to: '/dags/$dagId/runs/$runId', params: { dagId, runId }, search: (s) => ({ tab: (s as { tab?: DagTab }).tab }) }),
    task: (dagId: string, runId: string, taskId: string, tryNumber?: number) =>
      void navigate({
        to: '/dags/$dagId/runs/$runId/tasks/$taskId',
        params: { dagId, runId, taskId },
        search: (s) => ({ tab: (s as { tab?: DagTab }).tab, ...(tryNumber ? { try: tryNumber } : {}) }),
      }),
    none: (dagId: string) => void navigate({ to: '/dags/$dagId', params: { dagId } }),
  };
}

export function DagPage() {
  const selection = useDagSelection();
  const { dagId } = selection;
  const search = useSearch({ strict: false }) as { tab?: DagTab; year?: number };
  const tab: DagTab = search.tab ?? 'grid';
  const navigate = useNavigate();
  const select = useSelect();
  const dag = useDag(dagId);
  const tasks = useDagTasks(dagId);
  const grid = useGrid(dagId);
  const order = useMemo(() => topologicalOrder(tasks.data?.tasks ?? []), [tasks.data]);
  const roles = useMemo(
    () => {
      const m = new Map<string, TaskRole>();
      for (const t of tasks.data?.tasks ?? []) if (t.is_setup || t.is_teardown) m.set(t.task_id, t.is_setup ? 'setup' : 'teardown');
      return m;
    },
    [tasks.data],
  );
  useLiveEvents(dagId);
  // Lay the graph out in its worker as soon as the tasks are known, whichever tab is open: the
  // Graph tab then draws at once. The layout engine's files load here, not in the page's.
  useEffect(() => {
    const list = tasks.data?.tasks;
    if (!list || list.length === 0) return;
    import('./graph/elk-layout.js').then((m) => m.layoutDag(list), () => undefined).catch(() => undefined);
  }, [tasks.data]);
  // The Gantt shows the selected run, else the newest.
  const ganttRunId = selection.runId ?? grid.data?.dag_runs[0]?.dag_run_id;

  if (dag.error) return <Alert color="red" title={`Could not load DAG ${dagId}`}>{dag.error.message}</Alert>;
  const d = dag.data;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Group gap="sm">
            <FavoriteStar dagId={dagId} />
            <Title order={2} className={classes.title}>
              {dagId}
            </Title>
            {d?.is_paused && <Badge color="gray">paused</Badge>}
          </Group>
          {d?.description && <Text c="dimmed" size="sm">{d.description}</Text>}
          {d && (
            <Text size="sm" c="dimmed">
              {[
                describeSchedule(d).words,
                describeSchedule(d).expression,
                d.schedule_interval ? d.timezone : undefined,
                d.owners?.length ? `owner ${d.owners.join(', ')}` : undefined,
              ]
                .filter(Boolean)
                .join(' · ')}
              {hasAssetProgress(d) && (
                <>
                  {' · '}
                  <AssetProgress dag={d} />
                </>
              )}
            </Text>
          )}
        </Stack>
        {d && (
          <Group gap="sm">
            <PauseSwitch dag={d} />
            <TriggerButton dag={d} />
            <DeleteDagButton dagId={d.dag_id} />
          </Group>
        )}
      </Group>
      <Tabs
        value={tab}
        onChange={(v) => void navigate({ to: '.', search: (s) => ({ ...s, tab: v === 'grid' ? undefined : (v as DagTab) }) })}
        keepMounted={false}
      >
        <Tabs.List>
          {DAG_TABS.map((t) => (
            <Tabs.Tab key={t} value={t}>
              {TAB_LABELS[t]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <div className={classes.body} data-with-panel={selection.runId && tab === 'grid' ? true : undefined}>
        <div className={classes.main}>
          {tab === 'grid' &&
            (grid.data && tasks.data ? (
              <Grid
                data={grid.data}
                taskOrder={order}
                roles={roles}
                selection={selection}
                onSelectRun={(runId) => select.run(dagId, runId)}
                onSelectCell={(runId, taskId) => select.task(dagId, runId, taskId)}
              />
            ) : grid.error || tasks.error ? (
              <Alert color="red" title="Could not load the grid">{(grid.error ?? tasks.error)?.message}</Alert>
            ) : (
              <Skeleton height={200} />
            ))}
          {tab === 'graph' && (
            <Suspense fallback={<Skeleton height={400} />}>
              <GraphView dagId={dagId} tasks={tasks.data?.tasks ?? []} grid={grid.data} selection={selection} />
            </Suspense>
          )}
          {tab === 'runs' && <RunsTab dagId={dagId} />}
          {tab === 'calendar' && <CalendarTab dagId={dagId} year={search.year} />}
          {tab === 'durations' && <DurationsTab dagId={dagId} grid={grid.data} taskOrder={order} />}
          {tab === 'details' && d && <DetailsTab dag={d} />}
          {tab === 'gantt' &&
            (ganttRunId ? (
              <Gantt
                dagId={dagId}
                runId={ganttRunId}
                run={grid.data?.dag_runs.find((r) => r.dag_run_id === ganttRunId)}
                taskOrder={order}
                {...(selection.taskId ? { selectedTaskId: selection.taskId } : {})}
                onSelect={(taskId, tryNumber) => select.task(dagId, ganttRunId, taskId, tryNumber)}
              />
            ) : grid.data ? (
              <Text c="dimmed" py="xl" ta="center">
                This DAG has no runs yet.
              </Text>
            ) : (
              <Skeleton height={200} />
            ))}
          {tab === 'code' && d && <CodeTab key={selection.runId ?? ''} dag={d} runId={selection.runId} runs={grid.data?.dag_runs ?? []} />}
        </div>
        {selection.runId && (tab === 'grid' || tab === 'graph' || tab === 'gantt') && (
          <aside className={classes.panel} aria-label="selection">
            <SelectionPanel selection={selection} grid={grid.data} />
          </aside>
        )}
      </div>
    </Stack>
  );
}
