// Every task instance across DAGs (Airflow's Browse > Task Instances): by state, DAG and when it
// started, newest first, each a link to it on its DAG's page; the filters are in the URL. A read over
// every DAG: live changes refresh it at most every few seconds (the home page's pace).
import { Group, MultiSelect, Pagination, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { api, ok } from '../../api/client.js';
import { useLiveEvents } from '../../api/live-events.js';
import { AnchorLink } from '../../components/AnchorLink.js';
import { StateBadge } from '../../components/StateBadge.js';
import { formatDate, formatDuration, relativeTime } from '../../components/time.js';
import { useEagerDebounce } from '../../components/use-eager-debounce.js';
import { TI_PAGE_SIZE, TI_STATES, TI_WINDOWS, type TaskInstanceSearch, type TiState, type TiWindow } from './ti-search.js';

export function TaskInstancesPage() {
  const search = useSearch({ from: '/task-instances' });
  const navigate = useNavigate({ from: '/task-instances' });
  const setSearch = (patch: Partial<TaskInstanceSearch>) => void navigate({ search: (prev) => ({ ...prev, page: undefined, ...patch }), replace: true });
  const setDag = useEagerDebounce((dagId: string) => setSearch({ dag_id: dagId.trim() || undefined }), 300);
  const page = search.page ?? 1;
  const list = useQuery({
    queryKey: ['dashboard', 'task-instances', search],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances', {
      params: {
        path: { dag_id: search.dag_id ?? '~', dag_run_id: '~' },
        query: {
          limit: TI_PAGE_SIZE, offset: (page - 1) * TI_PAGE_SIZE, order_by: '-start_date',
          ...(search.state ? { state: search.state } : {}),
          ...(search.hours ? { start_date_gte: new Date(Date.now() - search.hours * 3_600_000).toISOString() } : {}),
        },
      },
    })),
    placeholderData: keepPreviousData,
  });
  useLiveEvents(null);
  const total = list.data?.total_entries ?? 0;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={2}>Task instances</Title>
        {list.data && (
          <Text c="dimmed" size="sm" data-testid="ti-total">
            {total} {total === 1 ? 'task instance' : 'task instances'}
          </Text>
        )}
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <MultiSelect
          aria-label="States"
          placeholder={search.state?.length ? '' : 'Any state'}
          data={TI_STATES.map((s) => ({ value: s, label: s.replaceAll('_', ' ') }))}
          value={search.state ?? []}
          onChange={(v) => setSearch({ state: v.length > 0 ? (v as TiState[]) : undefined })}
          clearable
          w={{ base: '100%', sm: 320 }}
        />
        <TextInput
          aria-label="DAG id"
          placeholder="DAG id"
          defaultValue={search.dag_id ?? ''}
          onChange={(e) => setDag(e.currentTarget.value)}
          w={{ base: '100%', sm: 220 }}
        />
        <SegmentedControl
          aria-label="Started"
          value={String(search.hours ?? 'any')}
          onChange={(v) => setSearch({ hours: v === 'any' ? undefined : (Number(v) as TiWindow) })}
          data={[...TI_WINDOWS.map((h) => ({ value: String(h), label: h === 1 ? 'last hour' : h === 24 ? 'last 24 hours' : 'last 7 days' })), { value: 'any', label: 'any time' }]}
        />
      </Group>
      {list.error && <Text c="red">Could not read the task instances: {list.error.message}</Text>}
      <Table striped highlightOnHover aria-label="task instances">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>DAG</Table.Th>
            <Table.Th>Run</Table.Th>
            <Table.Th>Task</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Try</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>Worker</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.task_instances ?? []).map((ti) => (
            <Table.Tr key={`${ti.dag_id}/${ti.dag_run_id}/${ti.task_id}/${ti.map_index}`} data-testid="ti-row" data-key={`${ti.dag_id}/${ti.task_id}`} data-state={ti.state ?? 'none'}>
              <Table.Td>
                <AnchorLink to="/dags/$dagId" params={{ dagId: ti.dag_id }} size="sm">{ti.dag_id}</AnchorLink>
              </Table.Td>
              <Table.Td>
                <AnchorLink to="/dags/$dagId/runs/$runId" params={{ dagId: ti.dag_id, runId: ti.dag_run_id }} search={{}} size="sm" ff="monospace">{ti.dag_run_id}</AnchorLink>
              </Table.Td>
              <Table.Td>
                <AnchorLink to="/dags/$dagId/runs/$runId/tasks/$taskId" params={{ dagId: ti.dag_id, runId: ti.dag_run_id, taskId: ti.task_id }}
                  search={ti.map_index >= 0 ? { map_index: ti.map_index } : {}} size="sm" fw={600} data-testid="ti-link">
                  {ti.task_id}{ti.map_index >= 0 ? ` [${ti.rendered_map_index ?? ti.map_index}]` : ''}
                </AnchorLink>
              </Table.Td>
              <Table.Td><StateBadge state={ti.state} /></Table.Td>
              <Table.Td>{ti.try_number}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }} title={formatDate(ti.start_date)}>{ti.start_date ? relativeTime(ti.start_date) : '—'}</Table.Td>
              <Table.Td>{formatDuration(ti.duration)}</Table.Td>
              <Table.Td title={ti.hostname ?? undefined}>{ti.worker ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data && total === 0 && <Text c="dimmed" size="sm">No task instance matches.</Text>}
      {total > TI_PAGE_SIZE && (
        <Group justify="center">
          <Pagination total={Math.ceil(total / TI_PAGE_SIZE)} value={page} onChange={(p) => setSearch({ page: p > 1 ? p : undefined })} />
        </Group>
      )}
    </Stack>
  );
}
