// Clear a DAG run (all its task instances, or only the failed ones): a dry run lists them; Confirm clears.
import { Checkbox, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client.js';
import type { AffectedTi } from './AffectedList.js';
import { ClearConfirm } from './ClearConfirm.js';
import { invalidateDag } from './invalidate.js';

export function ClearRunModal({ dagId, runId, opened, onClose }: { dagId: string; runId: string; opened: boolean; onClose(): void }) {
  const [onlyFailed, setOnlyFailed] = useState(false);
  const call = (dryRun: boolean) =>
    ok(api.POST('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/clear', { params: { path: { dag_id: dagId, dag_run_id: runId } }, body: { dry_run: dryRun, only_failed: onlyFailed } }));
  const preview = useQuery({ queryKey: ['clear-run-preview', dagId, runId, onlyFailed], queryFn: () => call(true), enabled: opened, gcTime: 0, staleTime: 0 });
  const qc = useQueryClient();
  const clear = useMutation({
    mutationFn: () => call(false),
    onSuccess: async () => {
      await invalidateDag(qc, dagId);
      onClose();
    },
  });
  // A dry run answers the task instances (a real one the run).
  const items: AffectedTi[] | undefined = preview.data && 'task_instances' in preview.data ? preview.data.task_instances : undefined;

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>Clear run {runId}</Text>} size="xl">
      <Stack gap="sm">
        <Checkbox label="Only failed" checked={onlyFailed} onChange={(e) => setOnlyFailed(e.currentTarget.checked)} />
        <ClearConfirm items={items} preview={preview} clear={clear} onClose={onClose} />
      </Stack>
    </Modal>
  );
}
