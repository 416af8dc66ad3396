// The caller's favourite DAGs on the home page: each with its star, a link and its latest runs.
import { Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { AnchorLink } from '../../components/AnchorLink.js';
import { FavoriteStar, useFavorites } from '../../components/favorites.js';
import { RunStrip } from '../../components/RunStrip.js';
import { overviewQueryOptions, RECENT_RUNS } from '../dags/dag-list-data.js';

export function FavoriteDags() {
  const favorites = useFavorites();
  const dags = favorites.data?.dags ?? [];
  const overview = useQuery({ ...overviewQueryOptions(dags.map((d) => d.dag_id)), enabled: dags.length > 0 });
  const runsOf = new Map(overview.data?.dags.map((d) => [d.dag_id, d.dag_runs]));
  if (favorites.error) return <Text size="sm" c="red">Favourites: {favorites.error.message}</Text>;
  if (favorites.data && dags.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="home-favorites-empty">
        No favourites yet: star a DAG in the DAG list or on its page to keep it here.
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      {dags.map((d) => (
        <Group key={d.dag_id} justify="space-between" wrap="nowrap" data-testid="home-favorite" data-dag-id={d.dag_id}>
          <Group gap={4} wrap="nowrap">
            <FavoriteStar dagId={d.dag_id} />
            <AnchorLink to="/dags/$dagId" params={{ dagId: d.dag_id }} fw={600} size="sm">
              {d.dag_id}
            </AnchorLink>
          </Group>
          <RunStrip runs={runsOf.get(d.dag_id) ?? []} slots={RECENT_RUNS} />
        </Group>
      ))}
    </Stack>
  );
}
