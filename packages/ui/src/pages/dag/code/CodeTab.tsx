// The DAG file's source (GET /api/v1/dagSources/{file_token}), highlighted, with line numbers.
// With a run selected it shows the file as that run's DAG version was parsed from it (the run's
// dag_version), with a switch to the latest version when the file has changed since.
import { Alert, Group, Paper, SegmentedControl, Select, Skeleton, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { api, ok } from '../../../api/client.js';
import { formatDate } from '../../../components/time.js';
import type { DagDetail, GridRun } from '../../../api/types.js';
import { highlightLines } from './highlight.js';
import classes from './CodeTab.module.css';

type Shown = 'run' | 'latest';

/** Picks the run whose version is shown (newest first); cleared: the latest version. */
function RunPicker({ dagId, runId, runs }: { dagId: string; runId: string | undefined; runs: readonly GridRun[] }) {
  const navigate = useNavigate();
  const ids = runs.map((r) => r.dag_run_id);
  if (runId && !ids.includes(runId)) ids.unshift(runId);
  return (
    <Select
      size="xs"
      w={260}
      aria-label="Show the version of run"
      placeholder="No run: the latest version"
      clearable
      searchable
      data={ids}
      value={runId ?? null}
      onChange={(v) =>
        void (v
          ? navigate({ to: '/dags/$dagId/runs/$runId', params: { dagId, runId: v }, search: { tab: 'code' } })
          : navigate({ to: '/dags/$dagId', params: { dagId }, search: { tab: 'code' } }))
      }
    />
  );
}

export function CodeTab({ dag, runId, runs = [] }: { dag: DagDetail; runId?: string | undefined; runs?: readonly GridRun[] }) {
  const [choice, setChoice] = useState<Shown>('run');
  const run = useQuery({
    queryKey: ['dag', dag.dag_id, 'run', runId],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}', { params: { path: { dag_id: dag.dag_id, dag_run_id: runId! } } })),
    enabled: Boolean(runId),
  });
  const version = runId ? run.data?.dag_version ?? null : null;
  const differs = version !== null && version.file_token !== dag.file_token;
  const shown: Shown = version !== null && (choice === 'run' || !differs) ? 'run' : 'latest';
  const token = shown === 'run' ? version!.file_token : dag.file_token;
  const fileloc = shown === 'run' ? version!.fileloc : dag.fileloc;
  const source = useQuery({
    queryKey: ['dagSource', token],
    queryFn: () => ok(api.GET('/api/v1/dagSources/{file_token}', { params: { path: { file_token: token! } } })),
    enabled: Boolean(token) && (!runId || !run.isPending),
    // A file token is a content hash: the same token is always the same text.
    staleTime: Infinity,
  });
  const lines = useMemo(() => highlightLines(source.data?.content ?? ''), [source.data]);
  if (!token) return <Text c="dimmed">This DAG has no stored source.</Text>;
  if (source.error) return <Alert color="red" title="Could not load the source">{source.error.message}</Alert>;
  const label = shown === 'run'
    ? `Version of run ${runId}, parsed ${formatDate(version!.created_at)}${differs ? '' : ' (the latest)'}`
    : `Latest version${dag.last_parsed_time ? `, parsed ${formatDate(dag.last_parsed_time)}` : ''}`;
  return (
    <Paper withBorder radius="md">
      <Group justify="space-between" px="md" py="xs" className={classes.header}>
        <Text size="sm" ff="monospace">{fileloc}</Text>
        <Group gap="sm">
          <RunPicker dagId={dag.dag_id} runId={runId} runs={runs} />
          <Text size="xs" c="dimmed" data-testid="code-version">{label}</Text>
          {differs && (
            <SegmentedControl
              size="xs"
              aria-label="Version shown"
              value={shown}
              onChange={(v) => setChoice(v as Shown)}
              data={[{ value: 'run', label: 'This run\'s version' }, { value: 'latest', label: 'Latest' }]}
            />
          )}
        </Group>
      </Group>
      {runId && run.data && version === null && (
        <Text size="xs" c="dimmed" px="md" pt="xs">The DAG version of run {runId} was not recorded: this is the latest version.</Text>
      )}
      {source.data ? (
        <pre className={classes.code} data-testid="dag-source" data-file-token={token} aria-label={`source of ${fileloc}`}>
          {lines.map((tokens, i) => (
            <span key={i} className={classes.line}>
              <span className={classes.number} aria-hidden>{i + 1}</span>
              <span>
                {tokens.map((t, j) => (t.kind === 'plain' ? t.text : <span key={j} data-token={t.kind}>{t.text}</span>))}
                {'\n'}
              </span>
            </span>
          ))}
        </pre>
      ) : (
        <Skeleton height={300} />
      )}
    </Paper>
  );
}
