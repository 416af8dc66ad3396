// A task instance: its state and every try (see TryDetails), the log of the selected try (?try=N,
// default the latest), live while it runs, and the XCom values it pushed. A mapped task lists its
// instances (MappedInstances) and shows the one picked (?map_index=N) the same way.
import { Alert, Group, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { api, ok } from '../../api/client.js';
import { TaskInstanceActions } from '../../components/actions/TaskInstanceActions.js';
import { StateBadge } from '../../components/StateBadge.js';
import { taskLogUrl } from './log/log-urls.js';
import { LogViewer } from './log/LogViewer.js';
import { MappedInstances } from './MappedInstances.js';
import { Note } from './Note.js';
import { TryDetails } from './TryDetails.js';
import { XComList } from './XComList.js';


const FINISHED = new Set(['success', 'failed', 'skipped', 'upstream_failed', 'removed']);
/** Mapped instances per page of the list (a task may be mapped over thousands of elements). */
const MAPPED_PAGE = 100;

interface Props {
  dagId: string;
  runId: string;
  taskId: string;
  /** The map index of the task's cell in the grid (0 when mapped, -1 when not), if the grid has the run. */
  cellMapIndex: number | undefined;
}

export function TaskInstancePanel({ dagId, runId, taskId, cellMapIndex }: Props) {
  const search = useSearch({ strict: false }) as { map_index?: number };
  const picked = search.map_index;
  // The page of the list that holds the instance opened by a link (the list goes by map index).
  const [page, setPage] = useState(() => (picked !== undefined && picked >= 0 ? Math.floor(picked / MAPPED_PAGE) : 0));
  // The grid's cell tells whether the task is mapped in this run; without it (a run the grid does
  // not show) the run's instances of the task do.
  const list = useQuery({
    queryKey: ['dag', dagId, 'tis', runId, taskId, page],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances', {
      params: { path: { dag_id: dagId, dag_run_id: runId }, query: { task_ids: [taskId], limit: MAPPED_PAGE, offset: page * MAPPED_PAGE } },
    })),
    enabled: cellMapIndex === undefined || cellMapIndex >= 0 || picked !== undefined,
    placeholderData: keepPreviousData,
  });
  const mapped = picked !== undefined || (cellMapIndex !== undefined ? cellMapIndex >= 0 : list.data?.task_instances.some((t) => t.map_index >= 0));
  if (mapped === undefined) return list.error ? <TaskInstanceView dagId={dagId} runId={runId} taskId={taskId} mapIndex={-1} /> : <Skeleton height={200} />;
  if (!mapped) return <TaskInstanceView dagId={dagId} runId={runId} taskId={taskId} mapIndex={-1} />;
  return (
    <Stack gap="md">
      <MappedInstances
        instances={list.data?.task_instances} total={list.data?.total_entries} error={list.error} selected={picked}
        page={page} pageSize={MAPPED_PAGE} onPage={setPage}
      />
      {picked === undefined ? (
        <Text size="sm" c="dimmed" data-testid="pick-map-index">
          {taskId} is mapped: pick a map index to see its tries, log and XCom.
        </Text>
      ) : (
        <TaskInstanceView key={picked} dagId={dagId} runId={runId} taskId={taskId} mapIndex={picked} />
      )}
    </Stack>
  );
}

/** One task instance (mapIndex -1 for an unmapped task). */
function TaskInstanceView({ dagId, runId, taskId, mapIndex }: { dagId: string; runId: string; taskId: string; mapIndex: number }) {
  const search = useSearch({ strict: false }) as { try?: number };
  const navigate = useNavigate();
  const path = { dag_id: dagId, dag_run_id: runId, task_id: taskId };
  const qc = useQueryClient();
  const saveNote = async (note: string): Promise<void> => {
    await ok(api.PATCH('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/setNote', { params: { path, query: { map_index: mapIndex } }, body: { note } }));
    await qc.invalidateQueries({ queryKey: ['dag', dagId, 'ti', runId, taskId, mapIndex] });
  };
  const ti = useQuery({
    queryKey: ['dag', dagId, 'ti', runId, taskId, mapIndex],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}', { params: { path, query: { map_index: mapIndex } } })),
  });
  const tries = useQuery({
    queryKey: ['dag', dagId, 'tries', runId, taskId, mapIndex],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries', { params: { path, query: { map_index: mapIndex } } })),
  });
  if (ti.error) return <Alert color="red" title="Could not load the task instance">{ti.error.message}</Alert>;
  const all = [...(tries.data?.task_instances ?? [])].sort((a, b) => a.try_number - b.try_number);
  const latest = ti.data?.try_number ?? all.at(-1)?.try_number ?? 0;
  const selectedTry = search.try ?? latest;
  const t = all.find((x) => x.try_number === selectedTry) ?? (ti.data?.try_number === selectedTry ? ti.data : undefined);
  const running = t ? !FINISHED.has(t.state ?? '') : false;

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Title order={4} ff="monospace" style={{ wordBreak: 'break-all' }}>
          {taskId}
          {mapIndex >= 0 ? ` [${mapIndex}${ti.data?.rendered_map_index ? `: ${ti.data.rendered_map_index}` : ''}]` : ''}
        </Title>
        <StateBadge state={ti.data?.state} size="md" />
      </Group>
      <TaskInstanceActions dagId={dagId} runId={runId} taskId={taskId} mapIndex={mapIndex} />
      {ti.data?.pending_reason && <Alert color="yellow">{ti.data.pending_reason}</Alert>}
      {all.length > 1 && (
        <SegmentedControl
          aria-label="Try"
          size="xs"
          value={String(selectedTry)}
          onChange={(v) => void navigate({ to: '.', search: (s) => ({ ...s, try: Number(v), line: undefined }) })}
          data={all.map((x) => ({ value: String(x.try_number), label: `Try ${x.try_number}${x.state ? ` · ${x.state.replaceAll('_', ' ')}` : ''}` }))}
        />
      )}
      {t && <TryDetails t={t} />}
      {ti.data && <Note label="task instance note" testId="task-instance-note" note={ti.data.note} save={saveNote} />}
      {t && t.operator === 'empty' && !t.worker && t.state !== 'queued' ? (
        // An empty task's, deferred sensor's, trigger task's or latest-only task's try: the scheduler ended it, no process wrote a log.
        <Text size="sm" c="dimmed" data-testid="no-worker-try">
          The scheduler decided this try itself (an empty task, a deferred sensor, a trigger or a latest-only task): no worker ran it, so it has no log.
        </Text>
      ) : selectedTry > 0 ? (
        <LogViewer key={`${runId}/${taskId}/${mapIndex}/${selectedTry}`} logUrl={taskLogUrl(dagId, runId, taskId, selectedTry, mapIndex)} live={running} />
      ) : (
        <Text size="sm" c="dimmed">
          This task has not run yet.
        </Text>
      )}
      <XComList dagId={dagId} runId={runId} taskId={taskId} mapIndex={mapIndex} />
    </Stack>
  );
}
