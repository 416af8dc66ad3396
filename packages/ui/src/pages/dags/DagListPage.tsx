// The DAG list: search, tags, paused and last-run filters and page in the URL; schedule, next run, recent runs,
// pause toggle and trigger for each DAG; a banner when DAG files failed to import.
import { Group, Pagination, SegmentedControl, Select, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useLiveEvents } from '../../api/live-events.js';
import { useEagerDebounce } from '../../components/use-eager-debounce.js';
import { dagListQueryOptions } from './dag-list-data.js';
import { DAG_PAGE_SIZE, LAST_RUN_STATES, type DagListSearch, type LastRunFilter, type PausedFilter } from './dag-list-search.js';
import { DagTable } from './DagTable.js';
import { ImportErrorBanner } from './ImportErrorBanner.js';

export function DagListPage() {
  const search = useSearch({ from: '/dags' });
  const navigate = useNavigate({ from: '/dags' });
  const setSearch = (patch: Partial<DagListSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...patch }), replace: true });
  // The first keystroke (or a pasted id) answers at once; typing on is debounced.
  const setQuery = useEagerDebounce((q: string) => setSearch({ q: q || undefined }), 250);

  const dags = useQuery({
    ...dagListQueryOptions(search),
    placeholderData: keepPreviousData,
  });
  useLiveEvents(null);
  const total = dags.data?.total_entries ?? 0;
  const pages = Math.max(1, Math.ceil(total / DAG_PAGE_SIZE));

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={2}>DAGs</Title>
        {dags.data && (
          <Text c="dimmed" size="sm">
            {total} {total === 1 ? 'DAG' : 'DAGs'}
          </Text>
        )}
      </Group>
      <ImportErrorBanner />
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          aria-label="Search DAGs by id"
          placeholder="Search DAGs"
          defaultValue={search.q ?? ''}
          onChange={(e) => setQuery(e.currentTarget.value)}
          w={{ base: '100%', sm: 260 }}
        />
        <TagsInput
          aria-label="Filter by tags"
          placeholder={search.tags?.length ? '' : 'Filter by tags'}
          value={search.tags ?? []}
          onChange={(tags) => setSearch({ tags: tags.length > 0 ? tags : undefined })}
          clearable
          w={{ base: '100%', sm: 280 }}
        />
        <SegmentedControl
          aria-label="Paused filter"
          value={search.paused ?? 'all'}
          onChange={(v) => setSearch({ paused: v === 'all' ? undefined : (v as PausedFilter) })}
          data={[
            { label: 'All', value: 'all' },
            { label: 'Active', value: 'active' },
            { label: 'Paused', value: 'paused' },
          ]}
        />
        <Select
          aria-label="Last run filter"
          placeholder="Last run: any"
          value={search.last_run ?? null}
          onChange={(v) => setSearch({ last_run: (v as LastRunFilter | null) ?? undefined })}
          data={LAST_RUN_STATES.map((s) => ({ value: s, label: `Last run ${s}` }))}
          clearable
          w={{ base: '100%', sm: 180 }}
        />
      </Group>
      <DagTable
        dags={dags.data?.dags}
        error={dags.error}
        loading={dags.isPending}
        onTagClick={(tag) => setSearch({ tags: [...new Set([...(search.tags ?? []), tag])] })}
      />
      {pages > 1 && (
        <Group justify="center">
          <Pagination total={pages} value={search.page ?? 1} onChange={(page) => setSearch({ page: page > 1 ? page : undefined })} />
        </Group>
      )}
    </Stack>
  );
}
