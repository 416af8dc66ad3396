// Delete a DAG run (Airflow's "Delete DAG run"): after a confirmation that says what goes and what
// stays, the run and its task instances are deleted and the DAG's page opens. The webserver refuses
// while tasks of the run are queued or running; the dialog then shows why.
import { Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api } from '../../api/client.js';
import { noContent } from '../../api/no-content.js';
import { ConfirmFooter } from './ConfirmFooter.js';
import { invalidateDag } from './invalidate.js';

export function DeleteRunModal({ dagId, runId, onClose }: { dagId: string; runId: string; onClose(): void }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => noContent(api.DELETE('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}', { params: { path: { dag_id: dagId, dag_run_id: runId } } })),
    // Off the run's page first: its queries would otherwise be fetched again, for a run that is gone.
    onSuccess: async () => {
      onClose();
      await navigate({ to: '/dags/$dagId', params: { dagId } });
      await invalidateDag(qc, dagId);
    },
  });
  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>Delete run {runId}</Text>} size="md">
      <Stack gap="sm" data-testid="delete-run">
        <Text size="sm">
          Run <Text span ff="monospace">{runId}</Text>, its task instances, tries and XCom will be deleted. The event log and the task log files
          stay. A scheduled run is not made again by the scheduler (a backfill or a trigger can).
        </Text>
        <ConfirmFooter error={remove.error} pending={remove.isPending} color="red" disabled={false} onCancel={onClose} onConfirm={() => remove.mutate()} />
      </Stack>
    </Modal>
  );
}
