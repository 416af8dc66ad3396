// One asset: what produces it, which DAGs it schedules, and its events, newest first (each with
// its source, its extra and the runs it triggered); a User records an event by hand from here.
import { Button, Code, Group, Pagination, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { AnchorLink } from '../../components/AnchorLink.js';
import { api, ok, type Ok } from '../../api/client.js';
import { useCanEdit } from '../../components/actions/use-can-edit.js';
import { formatDate, relativeTime } from '../../components/time.js';
import { LoadError } from '../admin/LoadError.js';
import { AssetEventSource } from './AssetEventSource.js';
import { EVENT_PAGE_SIZE } from './assets-search.js';
import { RecordEventModal } from './RecordEventModal.js';

export type Asset = Ok<'/api/v1/assets'>['assets'][number];

/** Links separated by commas, or a dimmed "none". */
function LinkList<T>({ items, keyOf, link }: { items: readonly T[]; keyOf: (item: T) => string; link: (item: T) => React.ReactNode }) {
  if (items.length === 0) return <Text span size="sm" c="dimmed">none</Text>;
  return (
    <>
      {items.map((item, i) => (
        <span key={keyOf(item)}>
          {i > 0 && ', '}
          {link(item)}
        </span>
      ))}
    </>
  );
}

export function ProducingTasks({ asset }: { asset: Asset }) {
  return (
    <LinkList
      items={asset.producing_tasks}
      keyOf={(t) => `${t.dag_id}.${t.task_id}`}
      link={(t) => (
        <AnchorLink to="/dags/$dagId" params={{ dagId: t.dag_id }} search={{ tab: 'graph' }} size="sm">
          {t.dag_id} · {t.task_id}
        </AnchorLink>
      )}
    />
  );
}

export function ConsumingDags({ asset }: { asset: Asset }) {
  return (
    <LinkList
      items={asset.consuming_dags}
      keyOf={(d) => d.dag_id}
      link={(d) => (
        <AnchorLink to="/dags/$dagId" params={{ dagId: d.dag_id }} search={{}} size="sm">
          {d.dag_id}
        </AnchorLink>
      )}
    />
  );
}

export function AssetEvents({ asset, page, onPage }: { asset: Asset; page: number; onPage: (page: number) => void }) {
  const canRecord = useCanEdit();
  const [recording, setRecording] = useState(false);
  const events = useQuery({
    queryKey: ['assets', 'events', asset.uri, page],
    queryFn: () => ok(api.GET('/api/v1/assets/events', {
      params: { query: { asset_uri: asset.uri, limit: EVENT_PAGE_SIZE, offset: (page - 1) * EVENT_PAGE_SIZE } },
    })),
    placeholderData: keepPreviousData,
    // The runs an event triggers are created by the scheduler just after it: shown when they are.
    refetchInterval: 5000,
  });
  const total = events.data?.total_entries ?? 0;
  return (
    <Paper withBorder p="md" radius="md" data-testid="asset-detail">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={3} style={{ wordBreak: 'break-all' }} data-testid="asset-detail-uri">
            {asset.uri}
          </Title>
          {canRecord && (
            <Button size="xs" variant="light" onClick={() => setRecording(true)}>
              Record event
            </Button>
          )}
        </Group>
        <Text size="sm">
          Updated by: <ProducingTasks asset={asset} />
        </Text>
        <Text size="sm">
          Schedules: <ConsumingDags asset={asset} />
        </Text>
        {asset.aliases.length > 0 && (
          <Text size="sm" data-testid="asset-aliases">
            Aliases: {asset.aliases.map((a) => a.name).join(', ')}
          </Text>
        )}
        <LoadError error={events.error} what="the asset's events" />
        <Text size="sm" fw={600} data-testid="asset-event-count">
          {total} {total === 1 ? 'event' : 'events'}
        </Text>
        {total > 0 && (
          <Table striped aria-label="asset events">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Source</Table.Th>
                <Table.Th>Extra</Table.Th>
                <Table.Th>Runs triggered</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(events.data?.asset_events ?? []).map((e) => (
                <Table.Tr key={e.id} data-testid="asset-event-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }} title={formatDate(e.timestamp)}>
                    {relativeTime(e.timestamp)}
                  </Table.Td>
                  <Table.Td>
                    <AssetEventSource event={e} />
                  </Table.Td>
                  <Table.Td>{Object.keys(e.extra).length > 0 ? <Code data-testid="asset-event-extra">{JSON.stringify(e.extra)}</Code> : ''}</Table.Td>
                  <Table.Td data-testid="asset-event-runs">
                    {e.created_dagruns.map((r, i) => (
                      <span key={`${r.dag_id}/${r.dag_run_id}`}>
                        {i > 0 && ', '}
                        <AnchorLink to="/dags/$dagId/runs/$runId" params={{ dagId: r.dag_id, runId: r.dag_run_id }} search={{}} size="sm">
                          {r.dag_id}
                        </AnchorLink>
                      </span>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {total > EVENT_PAGE_SIZE && (
          <Pagination aria-label="asset event pages" total={Math.ceil(total / EVENT_PAGE_SIZE)} value={page} onChange={onPage} size="sm" />
        )}
      </Stack>
      {recording && (
        <RecordEventModal
          uri={asset.uri}
          consumers={asset.consuming_dags.map((d) => d.dag_id)}
          onClose={(made) => {
            setRecording(false);
            if (made) notifications.show({ color: 'teal', message: `Event recorded for ${made.uri}` });
          }}
        />
      )}
    </Paper>
  );
}
