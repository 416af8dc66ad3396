// The run panel's actions: Clear run, Mark run success, Mark run failed, Delete run (hidden from a Viewer).
import { Button, Group } from '@mantine/core';
import { useState } from 'react';
import { ClearRunModal } from './ClearRunModal.js';
import { DeleteRunModal } from './DeleteRunModal.js';
import { MarkRunModal } from './MarkRunModal.js';
import { useCanEdit } from './use-can-edit.js';

type Open = 'clear' | 'success' | 'failed' | 'delete' | undefined;

export function RunActions({ dagId, runId, hasTeardowns = false }: { dagId: string; runId: string; hasTeardowns?: boolean }) {
  const canEdit = useCanEdit();
  const [open, setOpen] = useState<Open>();
  if (!canEdit) return null;
  const close = () => setOpen(undefined);
  return (
    <Group gap="xs" data-testid="run-actions">
      <Button size="xs" variant="light" onClick={() => setOpen('clear')}>
        Clear run
      </Button>
      <Button size="xs" variant="light" color="teal" onClick={() => setOpen('success')}>
        Mark run success
      </Button>
      <Button size="xs" variant="light" color="red" onClick={() => setOpen('failed')}>
        Mark run failed
      </Button>
      <Button size="xs" variant="subtle" color="red" onClick={() => setOpen('delete')}>
        Delete run
      </Button>
      {open === 'clear' && <ClearRunModal dagId={dagId} runId={runId} opened onClose={close} />}
      {open === 'delete' && <DeleteRunModal dagId={dagId} runId={runId} onClose={close} />}
      {(open === 'success' || open === 'failed') && <MarkRunModal dagId={dagId} runId={runId} newState={open} hasTeardowns={hasTeardowns} opened onClose={close} />}
    </Group>
  );
}
