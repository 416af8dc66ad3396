// Counts by state as one stacked bar (each state's share of the whole) with a legend of the counts,
// in the states' own colours.
import { Box, Group, Text, Tooltip } from '@mantine/core';
import { stateCssColor } from '../../components/state-colors.js';

export function StateBar({ counts, order, label }: { counts: Record<string, number>; order: readonly string[]; label: string }) {
  // States in the given order first, any other state after them.
  const states = [...order.filter((s) => (counts[s] ?? 0) > 0), ...Object.keys(counts).filter((s) => !order.includes(s) && counts[s]! > 0)];
  const total = states.reduce((n, s) => n + counts[s]!, 0);
  if (total === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={`${label}-empty`}>
        None in this window.
      </Text>
    );
  }
  return (
    <Box data-testid={label}>
      <Group gap={2} wrap="nowrap" h={14} style={{ borderRadius: 4, overflow: 'hidden' }} aria-label={label}>
        {states.map((s) => (
          <Tooltip key={s} label={`${s}: ${counts[s]}`}>
            <Box h="100%" style={{ flex: `${counts[s]} 1 0`, minWidth: 4, background: stateCssColor(s) }} />
          </Tooltip>
        ))}
      </Group>
      <Group gap="md" mt={6}>
        {states.map((s) => (
          <Group key={s} gap={6} data-testid={`${label}-count`} data-state={s}>
            <Box w={10} h={10} style={{ borderRadius: 2, background: stateCssColor(s) }} />
            <Text size="sm">
              {s.replaceAll('_', ' ')} <b>{counts[s]}</b>
            </Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}
