// Assets (Airflow's datasets): every asset a DAG names or an event updated, searchable by URI,
// with the tasks that update it, the DAGs it schedules and its last update; a click opens its
// events (?uri=), where a User can record one made outside Updraft.
import { Anchor, Group, Pagination, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { api, ok } from '../../api/client.js';
import { formatDate, relativeTime } from '../../components/time.js';
import { useEagerDebounce } from '../../components/use-eager-debounce.js';
import { LoadError } from '../admin/LoadError.js';
import { AssetEvents, ConsumingDags, ProducingTasks } from './AssetEvents.js';
import { ASSET_PAGE_SIZE, type AssetsSearch } from './assets-search.js';

export function AssetsPage() {
  const search = useSearch({ from: '/assets' });
  const navigate = useNavigate({ from: '/assets' });
  const setSearch = (patch: Partial<AssetsSearch>, keepPage = false) =>
    void navigate({ search: (prev) => ({ ...prev, ...(keepPage ? {} : { page: undefined }), ...patch }), replace: true });
  const setQuery = useEagerDebounce((q: string) => setSearch({ q: q || undefined }), 250);
  const page = search.page ?? 1;

  const list = useQuery({
    queryKey: ['assets', 'list', search.q ?? '', page],
    queryFn: () => ok(api.GET('/api/v1/assets', {
      params: { query: { limit: ASSET_PAGE_SIZE, offset: (page - 1) * ASSET_PAGE_SIZE, ...(search.q ? { uri_pattern: search.q } : {}) } },
    })),
    placeholderData: keepPreviousData,
  });
  // The selected asset, also when it is not on the page of the list shown.
  const selected = useQuery({
    queryKey: ['assets', 'one', search.uri],
    queryFn: () => ok(api.GET('/api/v1/assets', { params: { query: { limit: 1, offset: 0, uri: search.uri! } } })),
    enabled: search.uri !== undefined,
    select: (d) => d.assets.find((a) => a.uri === search.uri),
  });
  const total = list.data?.total_entries ?? 0;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={2}>Assets</Title>
        {list.data && (
          <Text c="dimmed" size="sm" data-testid="asset-count">
            {total} {total === 1 ? 'asset' : 'assets'}
          </Text>
        )}
      </Group>
      <TextInput
        aria-label="Search assets by URI"
        placeholder="Search by URI"
        defaultValue={search.q ?? ''}
        onChange={(e) => setQuery(e.currentTarget.value)}
        w={{ base: '100%', sm: 320 }}
      />
      <LoadError error={list.error} what="assets" />
      <Table striped highlightOnHover aria-label="assets">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>URI</Table.Th>
            <Table.Th>Updated by</Table.Th>
            <Table.Th>Schedules</Table.Th>
            <Table.Th>Last event</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.assets ?? []).map((a) => (
            <Table.Tr
              key={a.id}
              data-testid="asset-row"
              data-uri={a.uri}
              data-selected={a.uri === search.uri || undefined}
              bg={a.uri === search.uri ? 'var(--mantine-primary-color-light)' : undefined}
            >
              <Table.Td style={{ wordBreak: 'break-all' }}>
                <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => setSearch({ uri: a.uri, events: undefined }, true)}>
                  {a.uri}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <ProducingTasks asset={a} />
              </Table.Td>
              <Table.Td>
                <ConsumingDags asset={a} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }} title={a.last_event_at ? formatDate(a.last_event_at) : undefined} data-testid="asset-last-event">
                {a.last_event_at ? relativeTime(a.last_event_at) : <Text span size="sm" c="dimmed">never</Text>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data && total === 0 && (
        <Text c="dimmed" size="sm" data-testid="assets-empty">
          {search.q ? `No asset's URI contains "${search.q}".` : 'No assets yet: a DAG names one as a task outlet or in its schedule.'}
        </Text>
      )}
      {total > ASSET_PAGE_SIZE && (
        <Group justify="center">
          <Pagination aria-label="asset pages" total={Math.ceil(total / ASSET_PAGE_SIZE)} value={page} onChange={(p) => setSearch({ page: p > 1 ? p : undefined }, true)} />
        </Group>
      )}
      {search.uri !== undefined && selected.data && (
        <AssetEvents asset={selected.data} page={search.events ?? 1} onPage={(p) => setSearch({ events: p > 1 ? p : undefined }, true)} />
      )}
      {search.uri !== undefined && selected.isSuccess && !selected.data && (
        <Text c="red" size="sm" role="alert">
          No asset {search.uri}.
        </Text>
      )}
    </Stack>
  );
}
