// The asset events that triggered an asset-triggered run (Airflow's "source asset events"): each
// asset, where its event came from, when, and its extra.
import { Code, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { AnchorLink } from '../../components/AnchorLink.js';
import { api, ok } from '../../api/client.js';
import { formatDate } from '../../components/time.js';
import { AssetEventSource } from '../assets/AssetEventSource.js';

export function TriggeringEvents({ dagId, runId }: { dagId: string; runId: string }) {
  const events = useQuery({
    queryKey: ['dag', dagId, 'run', runId, 'upstreamAssetEvents'],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/upstreamAssetEvents', { params: { path: { dag_id: dagId, dag_run_id: runId } } })),
  });
  if (events.error) return <Text c="red" size="sm">{events.error.message}</Text>;
  const list = events.data?.asset_events ?? [];
  if (list.length === 0) return null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        Triggered by asset events
      </Text>
      <Table aria-label="triggering asset events" withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          {list.map((e) => (
            <Table.Tr key={e.id} data-testid="triggering-event">
              <Table.Td style={{ wordBreak: 'break-all' }}>
                <AnchorLink to="/assets" search={{ uri: e.uri }} size="sm" ff="monospace">
                  {e.uri}
                </AnchorLink>
              </Table.Td>
              <Table.Td>
                <AssetEventSource event={e} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text span size="sm">{formatDate(e.timestamp)}</Text>
              </Table.Td>
              <Table.Td>{Object.keys(e.extra).length > 0 ? <Code>{JSON.stringify(e.extra)}</Code> : ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
