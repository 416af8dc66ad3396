// Beside the grid: the selected task instance (tries, logs) or the selected run.
import { CloseButton, Group, Paper, Text } from '@mantine/core';
import type { DagSelection } from './DagPage.js';
import { useSelect } from './DagPage.js';
import type { GridData } from './grid-model.js';
import { RunPanel } from './RunPanel.js';
import { TaskInstancePanel } from './TaskInstancePanel.js';

export function SelectionPanel({ selection, grid }: { selection: DagSelection; grid: GridData | undefined }) {
  const select = useSelect();
  const { dagId, runId, taskId } = selection;
  if (!runId) return null;
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" wrap="nowrap" mb="sm">
        <Text size="xs" c="dimmed" truncate="end">
          {taskId ? `Task instance · run ${runId}` : 'DAG run'}
        </Text>
        <CloseButton aria-label="Close the panel" onClick={() => select.none(dagId)} />
      </Group>
      {taskId ? (
        <TaskInstancePanel
          // A new panel per task instance: its page of mapped instances starts where its link points.
          key={`${runId}\u0000${taskId}`}
          dagId={dagId}
          runId={runId}
          taskId={taskId}
          cellMapIndex={grid?.task_instances.find((t) => t.dag_run_id === runId && t.task_id === taskId && t.map_index < 1)?.map_index}
        />
      ) : (
        <RunPanel dagId={dagId} runId={runId} run={grid?.dag_runs.find((r) => r.dag_run_id === runId)} />
      )}
    </Paper>
  );
}
