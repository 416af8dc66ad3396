// An asset-driven DAG's way to its next run (Airflow's "1 of 2 datasets updated"): how many of the
// assets it is scheduled on were updated since its last asset-triggered run, each listed on hover.
import { Stack, Text, Tooltip } from '@mantine/core';
import type { Dag } from '../api/types.js';

export function AssetProgress({ assets }: { assets: NonNullable<Dag['next_run_assets']> }) {
  const updated = assets.filter((a) => a.updated).length;
  return (
    <Tooltip
      multiline
      maw={420}
      label={
        <Stack gap={2}>
          {assets.map((a) => (
            <Text key={a.uri} size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {a.updated ? '✓ updated' : '· waiting'} {a.uri}
            </Text>
          ))}
        </Stack>
      }
    >
      <Text size="sm" span data-testid="asset-progress">
        {updated} of {assets.length} {assets.length === 1 ? 'asset' : 'assets'} updated
      </Text>
    </Tooltip>
  );
}
