// A DAG run: state, type, dates, duration, the git commit of its DAG bundle, conf, note.
import { Code, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client.js';
import { RunActions } from '../../components/actions/RunActions.js';
import { DetailGrid } from '../../components/DetailGrid.js';
import { StateBadge } from '../../components/StateBadge.js';
import { formatDate, formatDuration } from '../../components/time.js';
import { runDuration, type GridRun } from './grid-model.js';
import { Note } from './Note.js';
import { TriggeringEvents } from './TriggeringEvents.js';
import { useDagTasks } from './use-dag-data.js';

export function RunPanel({ dagId, runId, run }: { dagId: string; runId: string; run: GridRun | undefined }) {
  const qc = useQueryClient();
  const saveNote = async (note: string): Promise<void> => {
    await ok(api.PATCH('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/setNote', { params: { path: { dag_id: dagId, dag_run_id: runId } }, body: { note } }));
    await qc.invalidateQueries({ queryKey: ['dag', dagId, 'run', runId] });
  };
  const detail = useQuery({
    queryKey: ['dag', dagId, 'run', runId],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}', { params: { path: { dag_id: dagId, dag_run_id: runId } } })),
  });
  // Marking the run leaves teardowns still to run alone: its dialog says so when the DAG has any.
  const tasks = useDagTasks(dagId);
  const hasTeardowns = (tasks.data?.tasks ?? []).some((t) => t.is_teardown);
  const r = detail.data ?? run;
  if (detail.error && !r) return <Text c="red">{detail.error.message}</Text>;
  if (!r) return null;
  const rows: [string, React.ReactNode][] = [
    ['State', <StateBadge key="s" state={r.state} />],
    ['Run type', r.run_type],
    ['Logical date', formatDate(r.logical_date)],
    ['Data interval', r.data_interval_start ? `${formatDate(r.data_interval_start)} – ${formatDate(r.data_interval_end)}` : ''],
    ['Queued', formatDate(r.queued_at)],
    ['Started', formatDate(r.start_date)],
    ['Ended', formatDate(r.end_date)],
    ['Duration', formatDuration(runDuration(r))],
  ];
  // A git bundle (core.dags_bundle = git:...): the commit whose code the run's tasks execute.
  const commit = detail.data?.bundle_commit;
  if (commit) rows.push(['Commit', <Code key="c" title={commit}>{commit.slice(0, 12)}</Code>]);
  const conf = detail.data?.conf;
  return (
    <Stack gap="sm">
      <Title order={4} style={{ wordBreak: 'break-all' }}>
        {runId}
      </Title>
      <RunActions dagId={dagId} runId={runId} hasTeardowns={hasTeardowns} />
      <DetailGrid items={rows} />
      {r.run_type === 'asset_triggered' && <TriggeringEvents dagId={dagId} runId={runId} />}
      {conf && Object.keys(conf).length > 0 && (
        <>
          <Text size="sm" fw={600}>
            Conf
          </Text>
          <Code block>{JSON.stringify(conf, null, 2)}</Code>
        </>
      )}
      {detail.data && <Note label="run note" testId="run-note" note={detail.data.note} save={saveNote} />}
    </Stack>
  );
}
