// The XCom values a task instance pushed (its return value and any other keys), each as JSON.
import { Code, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client.js';

const MAX_SHOWN = 20;
const MAX_CHARS = 4000;

function XComValue({ dagId, runId, taskId, mapIndex, xcomKey }: { dagId: string; runId: string; taskId: string; mapIndex: number; xcomKey: string }) {
  const value = useQuery({
    queryKey: ['dag', dagId, 'xcom', runId, taskId, mapIndex, xcomKey],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries/{xcom_key}', {
      params: { path: { dag_id: dagId, dag_run_id: runId, task_id: taskId, xcom_key: xcomKey }, query: { map_index: mapIndex, deserialize: false } },
    })),
  });
  // Without deserialize the API answers the stored JSON text: pretty-printed here when it parses.
  const text = typeof value.data?.value === 'string' ? pretty(value.data.value) : value.error ? value.error.message : '…';
  return (
    <div data-testid="xcom" data-key={xcomKey}>
      <Text size="xs" fw={600} ff="monospace">{xcomKey}</Text>
      <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', maxHeight: 200, overflow: 'auto' }}>
        {text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text}
      </Code>
    </div>
  );
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** mapIndex: -1 for an unmapped task, else the mapped instance's index. */
export function XComList({ dagId, runId, taskId, mapIndex }: { dagId: string; runId: string; taskId: string; mapIndex: number }) {
  const entries = useQuery({
    queryKey: ['dag', dagId, 'xcoms', runId, taskId, mapIndex],
    queryFn: () => ok(api.GET('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries', {
      params: { path: { dag_id: dagId, dag_run_id: runId, task_id: taskId }, query: { map_index: mapIndex, limit: MAX_SHOWN, offset: 0 } },
    })),
  });
  const list = entries.data?.xcom_entries ?? [];
  if (list.length === 0) return null;
  return (
    <Stack gap={6} aria-label="XCom">
      <Text size="sm" fw={600}>
        XCom{entries.data && entries.data.total_entries > list.length ? ` (first ${list.length} of ${entries.data.total_entries})` : ''}
      </Text>
      {list.map((e) => (
        <XComValue key={e.key} dagId={dagId} runId={runId} taskId={taskId} mapIndex={mapIndex} xcomKey={e.key} />
      ))}
    </Stack>
  );
}
