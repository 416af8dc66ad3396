// An asset-driven DAG's way to its next run (Airflow's "1 of 2 datasets updated"): how many of the
// assets (and asset aliases) it is scheduled on were updated since its last asset-triggered run,
// each listed on hover, an asset with a link to its events on the Assets page.
import { HoverCard, Stack, Text } from '@mantine/core';
import type { Dag } from '../api/types.js';
import { AnchorLink } from './AnchorLink.js';

/** True when the DAG is scheduled on assets or aliases (it has a progress to show). */
export function hasAssetProgress(d: Pick<Dag, 'next_run_assets' | 'next_run_aliases'>): boolean {
  return (d.next_run_assets?.length ?? 0) + (d.next_run_aliases?.length ?? 0) > 0;
}

export function AssetProgress({ dag }: { dag: Pick<Dag, 'next_run_assets' | 'next_run_aliases'> }) {
  const assets = dag.next_run_assets ?? [];
  const aliases = dag.next_run_aliases ?? [];
  const updated = assets.filter((a) => a.updated).length + aliases.filter((a) => a.updated).length;
  const total = assets.length + aliases.length;
  return (
    <HoverCard withArrow openDelay={100} closeDelay={150} shadow="md">
      <HoverCard.Target>
        <Text size="sm" span data-testid="asset-progress" style={{ cursor: 'default', textDecoration: 'underline dotted' }}>
          {updated} of {total} {total === 1 ? 'asset' : 'assets'} updated
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
          {aliases.map((a) => (
            <Text key={`alias:${a.name}`} size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {a.updated ? '✓ updated' : '· waiting'} alias:{a.name}
            </Text>
          ))}
        </Stack>
      </HoverCard.Dropdown>
    </HoverCard>
  );
}
