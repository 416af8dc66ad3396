// Each pool's slots as a bar: running, queued and open (Airflow's pool slots on its home page), linked
// to the pools page for those who may manage them.
import { Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client.js';
import { stateCssColor } from '../../components/state-colors.js';

export function PoolSlots() {
  const pools = useQuery({ queryKey: ['dashboard', 'pools'], queryFn: () => ok(api.GET('/api/v1/pools', { params: { query: { limit: 100, offset: 0 } } })) });
  if (pools.error) return <Text size="sm" c="red">Pools: {pools.error.message}</Text>;
  if (!pools.data) return null;
  return (
    <Stack gap="sm">
      {pools.data.pools.map((p) => {
        const unlimited = p.slots < 0;
        const parts = [
          { key: 'running', n: p.running_slots, color: stateCssColor('running') },
          { key: 'queued', n: p.queued_slots, color: stateCssColor('queued') },
          { key: 'open', n: unlimited ? 0 : p.open_slots, color: 'var(--mantine-color-gray-2)' },
        ];
        const whole = Math.max(1, parts.reduce((n, x) => n + x.n, 0));
        return (
          <Box key={p.name} data-testid="pool-slots" data-pool={p.name}>
            <Group justify="space-between" gap="xs">
              <Text size="sm" ff="monospace">{p.name}</Text>
              <Text size="xs" c="dimmed" data-testid="pool-slots-text">
                {p.running_slots} running · {p.queued_slots} queued · {unlimited ? 'unlimited' : `${p.open_slots} of ${p.slots} open`}
                {p.scheduled_slots > 0 ? ` · ${p.scheduled_slots} waiting` : ''}
              </Text>
            </Group>
            <Group gap={0} wrap="nowrap" h={8} mt={4} style={{ borderRadius: 4, overflow: 'hidden', background: 'var(--mantine-color-gray-2)' }}>
              {parts.filter((x) => x.n > 0).map((x) => (
                <Tooltip key={x.key} label={`${x.key}: ${x.n}`}>
                  <Box h="100%" style={{ flex: `${x.n / whole} 1 0`, background: x.color }} />
                </Tooltip>
              ))}
            </Group>
          </Box>
        );
      })}
    </Stack>
  );
}
