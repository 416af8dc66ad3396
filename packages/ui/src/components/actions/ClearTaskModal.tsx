// Clear a task instance (a mapped one alone, by its map index, as Airflow's [task_id, map_index]; and, as chosen, its downstream/upstream tasks, or only the failed ones):
// a dry run lists exactly what will be cleared; Confirm clears it and the page refetches.
import { Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client.js';
import { ClearConfirm } from './ClearConfirm.js';
import { invalidateDag } from './invalidate.js';

interface Props {
  dagId: string;
  runId: string;
  taskId: string;
  /** -1 for an unmapped task: then the task is named alone. */
  mapIndex: number;
  opened: boolean;
  onClose(): void;
}

export function ClearTaskModal({ dagId, runId, taskId, mapIndex, opened, onClose }: Props) {
  const [downstream, setDownstream] = useState(true);
  const [upstream, setUpstream] = useState(false);
  const [onlyFailed, setOnlyFailed] = useState(false);
  const body = (dryRun: boolean) => ({
    dry_run: dryRun,
    dag_run_id: runId,
    task_ids: [mapIndex >= 0 ? ([taskId, mapIndex] as [string, number]) : taskId],
    only_failed: onlyFailed,
    only_running: false,
    include_downstream: downstream,
    include_upstream: upstream,
    include_past: false,
    include_future: false,
  });
  const call = (dryRun: boolean) => ok(api.POST('/api/v1/dags/{dag_id}/clearTaskInstances', { params: { path: { dag_id: dagId } }, body: body(dryRun) }));
  const preview = useQuery({
    queryKey: ['clear-preview', dagId, runId, taskId, mapIndex, downstream, upstream, onlyFailed],
    queryFn: () => call(true),
    enabled: opened,
    gcTime: 0,
    staleTime: 0,
  });
  const qc = useQueryClient();
  const clear = useMutation({
    mutationFn: () => call(false),
    onSuccess: async () => {
      await invalidateDag(qc, dagId);
      onClose();
    },
  });
  const items = preview.data?.task_instances;

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>Clear {taskId}{mapIndex >= 0 ? ` [${mapIndex}]` : ''}</Text>} size="xl">
      <Stack gap="sm">
        <Group gap="lg">
          <Checkbox label="Downstream" checked={downstream} onChange={(e) => setDownstream(e.currentTarget.checked)} />
          <Checkbox label="Upstream" checked={upstream} onChange={(e) => setUpstream(e.currentTarget.checked)} />
          <Checkbox label="Only failed" checked={onlyFailed} onChange={(e) => setOnlyFailed(e.currentTarget.checked)} />
        </Group>
        <ClearConfirm items={items} preview={preview} clear={clear} onClose={onClose} />
      </Stack>
    </Modal>
  );
}
