// Favourite DAGs (Airflow's): the caller's list (one read, shared by every star and the home page)
// and the star that marks or unmarks one. Every role may keep favourites of its own.
import { ActionIcon, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client.js';
import { sendJson } from '../api/http.js';
import { StarIcon } from './icons.js';

/** At most this many favourites are read (a star beyond them shows as not one). */
const MAX_FAVORITES = 100;

/** The caller's favourite DAGs (as the DAG list shows them), by id. */
export function useFavorites() {
  return useQuery({
    queryKey: ['dags', 'favorites'],
    queryFn: () => ok(api.GET('/api/v1/dags', { params: { query: { is_favorite: true, limit: MAX_FAVORITES, offset: 0, only_active: false, order_by: 'dag_id' } } })),
  });
}

export function FavoriteStar({ dagId }: { dagId: string }) {
  const favorites = useFavorites();
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (favorite: boolean) => sendJson<void>('POST', `/api/v1/dags/${encodeURIComponent(dagId)}/${favorite ? 'favorite' : 'unfavorite'}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['dags', 'favorites'] }),
    onError: (err) => notifications.show({ color: 'red', title: `Could not change the favourites`, message: err.message }),
  });
  const known = favorites.data?.dags.some((d) => d.dag_id === dagId) ?? false;
  const favorite = toggle.isPending ? Boolean(toggle.variables) : known;
  return (
    <Tooltip label={favorite ? 'A favourite: on your home page. Click to remove' : 'Add to your favourites (home page)'}>
      <ActionIcon
        variant="subtle"
        color={favorite ? 'yellow' : 'gray'}
        size="sm"
        aria-label={`${favorite ? 'Unfavorite' : 'Favorite'} ${dagId}`}
        aria-pressed={favorite}
        onClick={() => toggle.mutate(!favorite)}
        disabled={favorites.isPending}
      >
        <StarIcon filled={favorite} />
      </ActionIcon>
    </Tooltip>
  );
}
