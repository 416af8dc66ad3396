import { Badge } from '@mantine/core';
import { stateColor } from './state-colors.js';

export function StateBadge({ state, size = 'sm' }: { state: string | null | undefined; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge color={stateColor(state)} variant="light" size={size} radius="sm">
      {(state ?? 'no status').replaceAll('_', ' ')}
    </Badge>
  );
}
