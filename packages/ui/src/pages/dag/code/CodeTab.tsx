// The DAG file's source (GET /api/v1/dagSources/{file_token}), highlighted, with line numbers.
// The webserver keeps the file of the DAG's current version: the one new runs use.
import { Alert, Group, Paper, Skeleton, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, ok } from '../../../api/client.js';
import { formatDate } from '../../../components/time.js';
import type { DagDetail } from '../../../api/types.js';
import { highlightLines } from './highlight.js';
import classes from './CodeTab.module.css';

export function CodeTab({ dag }: { dag: DagDetail }) {
  const token = dag.file_token;
  const source = useQuery({
    queryKey: ['dagSource', token],
    queryFn: () => ok(api.GET('/api/v1/dagSources/{file_token}', { params: { path: { file_token: token! } } })),
    enabled: Boolean(token),
    // A file token is a content hash: the same token is always the same text.
    staleTime: Infinity,
  });
  const lines = useMemo(() => highlightLines(source.data?.content ?? ''), [source.data]);
  if (!token) return <Text c="dimmed">This DAG has no stored source.</Text>;
  if (source.error) return <Alert color="red" title="Could not load the source">{source.error.message}</Alert>;
  return (
    <Paper withBorder radius="md">
      <Group justify="space-between" px="md" py="xs" className={classes.header}>
        <Text size="sm" ff="monospace">{dag.fileloc}</Text>
        {dag.last_parsed_time && <Text size="xs" c="dimmed">parsed {formatDate(dag.last_parsed_time)}</Text>}
      </Group>
      {source.data ? (
        <pre className={classes.code} data-testid="dag-source" aria-label={`source of ${dag.fileloc}`}>
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
