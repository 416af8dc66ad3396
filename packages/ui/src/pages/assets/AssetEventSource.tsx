// Where an asset event came from: the task try whose outlet recorded it (a link to that task
// instance, naming the aliases it was added through), or an update made outside Updraft (posted
// through the API or the assets page).
import { Text } from '@mantine/core';
import { AnchorLink } from '../../components/AnchorLink.js';

export interface EventSource {
  source_dag_id: string | null;
  source_run_id: string | null;
  source_task_id: string | null;
  source_map_index: number | null;
  source_aliases: string[];
}

/** " · via alias:daily-export" for an event a task added through aliases. */
function viaAliases(aliases: string[]): string {
  return aliases.length === 0 ? '' : ` · via ${aliases.map((a) => `alias:${a}`).join(', ')}`;
}

export function AssetEventSource({ event }: { event: EventSource }) {
  const { source_dag_id: dagId, source_run_id: runId, source_task_id: taskId, source_map_index: mapIndex } = event;
  if (!dagId || !runId || !taskId) {
    return (
      <Text span size="sm" c="dimmed">
        recorded through the API
      </Text>
    );
  }
  const mapped = mapIndex !== null && mapIndex >= 0;
  return (
    <AnchorLink
      to="/dags/$dagId/runs/$runId/tasks/$taskId"
      params={{ dagId, runId, taskId }}
      search={mapped ? { map_index: mapIndex } : {}}
      size="sm"
      data-testid="asset-event-source"
    >
      {dagId} · {taskId}
      {mapped ? ` [${mapIndex}]` : ''}
      {viaAliases(event.source_aliases)}
    </AnchorLink>
  );
}
