// The DAG's runs, newest first, filterable by state (?state=), paginated: run type, logical date,
// data interval, state, duration, conf, note. A row opens the run in the grid.
import { Alert, Code, Group, Pagination, SegmentedControl, Skeleton, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { api, ok } from '../../api/client.js';
import { StateBadge } from '../../components/StateBadge.js';
import { formatDate, formatDuration } from '../../components/time.js';

type RunState = 'queued' | 'running' | 'success' | 'failed';

const PAGE = 50;
const STATES = ['all', 'queued', 'running', 'success', 'failed'];

export function RunsTab({ dagId }: { dagId: string }) {
  const search = useSearch({ strict: false }) as { state?: string };
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const state = search.state && STATES.includes(search.state) ? search.state : 'all';
  const runs = useQuery({
    queryKey: ['dag', dagId, 'runs', state, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/dags/{dag_id}/dagRuns', {
          params: {
            path: { dag_id: dagId },
            query: { order_by: '-logical_date', limit: PAGE, offset: (page - 1) * PAGE, ...(state === 'all' ? {} : { state: [state as RunState] }) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const total = runs.data?.total_entries ?? 0;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          aria-label="Run state"
          value={state}
          onChange={(v) => {
            setPage(1);
            void navigate({ to: '.', search: (s) => ({ ...s, state: v === 'all' ? undefined : v }) });
          }}
          data={STATES.map((s) => ({ value: s, label: s === 'all' ? 'All' : s }))}
        />
        <Text size="sm" c="dimmed">
          {total} runs
        </Text>
      </Group>
      {runs.error ? (
        <Alert color="red">{runs.error.message}</Alert>
      ) : !runs.data ? (
        <Skeleton height={200} />
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table highlightOnHover verticalSpacing="xs" fz="sm" data-testid="runs-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Run</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Logical date</Table.Th>
                <Table.Th>Data interval</Table.Th>
                <Table.Th>Duration</Table.Th>
                <Table.Th>Conf</Table.Th>
                <Table.Th>Note</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data.dag_runs.map((r) => {
                const duration = r.start_date && r.end_date ? (new Date(r.end_date).getTime() - new Date(r.start_date).getTime()) / 1000 : null;
                const conf = JSON.stringify(r.conf ?? {});
                return (
                  <Table.Tr
                    key={r.dag_run_id}
                    style={{ cursor: 'pointer' }}
                    onClick={() => void navigate({ to: '/dags/$dagId/runs/$runId', params: { dagId, runId: r.dag_run_id }, search: {} })}
                  >
                    <Table.Td ff="monospace" fz="xs">
                      {r.dag_run_id}
                    </Table.Td>
                    <Table.Td>
                      <StateBadge state={r.state} />
                    </Table.Td>
                    <Table.Td>{r.run_type}</Table.Td>
                    <Table.Td>{formatDate(r.logical_date)}</Table.Td>
                    <Table.Td fz="xs">
                      {r.data_interval_start ? `${formatDate(r.data_interval_start)} – ${formatDate(r.data_interval_end)}` : ''}
                    </Table.Td>
                    <Table.Td>{formatDuration(duration)}</Table.Td>
                    <Table.Td>{conf !== '{}' && <Code>{conf.length > 60 ? `${conf.slice(0, 57)}…` : conf}</Code>}</Table.Td>
                    <Table.Td>{r.note}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {total > PAGE && (
        <Group justify="center">
          <Pagination total={Math.ceil(total / PAGE)} value={page} onChange={setPage} />
        </Group>
      )}
    </Stack>
  );
}
