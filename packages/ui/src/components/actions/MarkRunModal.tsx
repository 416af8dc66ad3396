// Mark a DAG run success or failed, after a confirmation that says what happens to its task instances.
import { Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client.js';
import { ConfirmFooter } from './ConfirmFooter.js';
import { invalidateDag } from './invalidate.js';

const EFFECT = {
  success: 'Its unfinished task instances will be marked success too.',
  failed: 'Its running task instances will be marked failed and its other unfinished ones skipped.',
} as const;
/** Teardowns still to run are left to run (the server's rule, as Airflow's). */
const TEARDOWNS = 'Teardown tasks that have not ended still run: the run ends once they did.';

interface Props {
  dagId: string;
  runId: string;
  newState: 'success' | 'failed';
  /** The DAG has teardown tasks: the dialog says they still run. */
  hasTeardowns?: boolean;
  opened: boolean;
  onClose(): void;
}

export function MarkRunModal({ dagId, runId, newState, hasTeardowns = false, opened, onClose }: Props) {
  const qc = useQueryClient();
  const mark = useMutation({
    mutationFn: () => ok(api.PATCH('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}', { params: { path: { dag_id: dagId, dag_run_id: runId } }, body: { state: newState } })),
    onSuccess: async () => {
      await invalidateDag(qc, dagId);
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>Mark run {newState}</Text>} size="md">
      <Stack gap="sm">
        <Text size="sm">
          Run <Text span ff="monospace">{runId}</Text> will be marked {newState}. {EFFECT[newState]}{hasTeardowns ? ` ${TEARDOWNS}` : ''}
        </Text>
        <ConfirmFooter
          error={mark.error}
          pending={mark.isPending}
          color={newState === 'failed' ? 'red' : 'teal'}
          disabled={false}
          onCancel={onClose}
          onConfirm={() => mark.mutate()}
        />
      </Stack>
    </Modal>
  );
}
