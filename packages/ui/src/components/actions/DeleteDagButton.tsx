// Delete a DAG (Airflow's trash button): after a confirmation that says what goes and what stays,
// every record of the DAG is deleted and the DAG list opens. The webserver refuses while tasks of
// the DAG are queued or running; the modal then shows why. A Viewer is not offered it.
import { ActionIcon, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client.js';
import { noContent } from '../../api/no-content.js';
import { TrashIcon } from '../icons.js';
import { ConfirmFooter } from './ConfirmFooter.js';
import { useCanEdit } from './use-can-edit.js';

export function DeleteDagButton({ dagId }: { dagId: string }) {
  const canEdit = useCanEdit();
  const [opened, setOpened] = useState(false);
  if (!canEdit) return null;
  return (
    <>
      <Tooltip label="Delete this DAG and its history">
        <ActionIcon variant="light" color="red" onClick={() => setOpened(true)} aria-label={`Delete ${dagId}`}>
          <TrashIcon />
        </ActionIcon>
      </Tooltip>
      {opened && <DeleteDagModal dagId={dagId} onClose={() => setOpened(false)} />}
    </>
  );
}

function DeleteDagModal({ dagId, onClose }: { dagId: string; onClose(): void }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => noContent(api.DELETE('/api/v1/dags/{dag_id}', { params: { path: { dag_id: dagId } } })),
    // Off the DAG's page first: its queries would otherwise be fetched again, for a DAG that is gone.
    onSuccess: async () => {
      notifications.show({ color: 'teal', title: `Deleted ${dagId}`, message: 'Its runs and task instances are gone.' });
      await navigate({ to: '/dags' });
      qc.removeQueries({ queryKey: ['dag', dagId] });
      await qc.invalidateQueries({ queryKey: ['dags'] });
    },
  });
  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>Delete DAG {dagId}</Text>} size="md">
      <Stack gap="sm" data-testid="delete-dag">
        <Text size="sm">
          Every run of <Text span ff="monospace">{dagId}</Text>, its task instances, tries and XCom will be deleted. The event log and the
          task log files stay.
        </Text>
        <Text size="sm" c="dimmed">
          While its file is in the DAGs folder, the DAG comes back, without history, when the scheduler parses the file again: remove the
          file first to delete it for good.
        </Text>
        <ConfirmFooter error={remove.error} pending={remove.isPending} color="red" disabled={false} onCancel={onClose} onConfirm={() => remove.mutate()} />
      </Stack>
    </Modal>
  );
}
