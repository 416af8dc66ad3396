// Mark a task instance success or failed: a dry run shows what will change; Confirm sets it (and
// clears its failed and upstream_failed downstream instances, as Airflow does).
import { Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client.js';
import { AffectedList } from './AffectedList.js';
import { ConfirmFooter } from './ConfirmFooter.js';
import { invalidateDag } from './invalidate.js';

interface Props {
  dagId: string;
  runId: string;
  taskId: string;
  /** -1 for an unmapped task. */
  mapIndex: number;
  newState: 'success' | 'failed';
  opened: boolean;
  onClose(): void;
}

export function MarkTaskModal({ dagId, runId, taskId, mapIndex, newState, opened, onClose }: Props) {
  const call = (dryRun: boolean) =>
    ok(
      api.PATCH('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}', {
        params: { path: { dag_id: dagId, dag_run_id: runId, task_id: taskId }, query: { map_index: mapIndex } },
        body: { new_state: newState, dry_run: dryRun },
      }),
    );
  const preview = useQuery({ queryKey: ['mark-preview', dagId, runId, taskId, mapIndex, newState], queryFn: () => call(true), enabled: opened, gcTime: 0, staleTime: 0 });
  const qc = useQueryClient();
  const mark = useMutation({
    mutationFn: () => call(false),
    onSuccess: async () => {
      await invalidateDag(qc, dagId);
      onClose();
    },
  });

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>Mark {taskId}{mapIndex >= 0 ? ` [${mapIndex}]` : ''} {newState}</Text>} size="xl">
      <Stack gap="sm">
        <Text size="sm">This task instance will be marked {newState}:</Text>
        <AffectedList items={preview.data ? [preview.data] : undefined} loading={preview.isFetching} error={preview.error} empty="" />
        <Text size="sm" c="dimmed">Its downstream task instances that failed or are upstream_failed are cleared, to be decided again.</Text>
        <ConfirmFooter
          error={mark.error}
          pending={mark.isPending}
          color={newState === 'failed' ? 'red' : 'teal'}
          disabled={!preview.data}
          onCancel={onClose}
          onConfirm={() => mark.mutate()}
        />
      </Stack>
    </Modal>
  );
}
