// An asset-driven DAG's way to its next run (Airflow's "1 of 2 datasets updated"): how many of the
// assets it is scheduled on were updated since its last asset-triggered run, each listed on hover
// with a link to its events on the Assets page.
import { HoverCard, Stack, Text } from '@mantine/core';
import type { Dag } from '../api/types.js';
import { AnchorLink } from './AnchorLink.js';

export function AssetProgress({ assets }: { assets: NonNullable<Dag['next_run_assets']> }) {
  const updated = assets.filter((a) => a.updated).length;
  return (
    <HoverCard withArrow openDelay={100} closeDelay={150} shadow="md">
      <HoverCard.Target>
        <Text size="sm" span data-testid="asset-progress" style={{ cursor: 'default', textDecoration: 'underline dotted' }}>
          {updated} of {assets.length} {assets.length === 1 ? 'asset' : 'assets'} updated
        </Text>
      </HoverCard.Target>
      <HoverCard.Dropdown data-testid="asset-progress-list" maw={460}>
        <Stack gap={2}>
          {assets.map((a) => (
            <Text key={a.uri} size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {a.updated ? '✓ updated' : '· waiting'}{' '}
              <AnchorLink to="/assets" search={{ uri: a.uri }} size="xs" ff="monospace">
                {a.uri}
              </AnchorLink>
            </Text>
          ))}
        </Stack>
      </HoverCard.Dropdown>
    </HoverCard>
  );
}
