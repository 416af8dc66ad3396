// The task instance panel's actions: Clear, Mark success, Mark failed (hidden from a Viewer).
import { Button, Group } from '@mantine/core';
import { useState } from 'react';
import { ClearTaskModal } from './ClearTaskModal.js';
import { MarkTaskModal } from './MarkTaskModal.js';
import { useCanEdit } from './use-can-edit.js';

type Open = 'clear' | 'success' | 'failed' | undefined;

/** mapIndex: -1 for an unmapped task; a mapped instance is cleared or marked alone. */
export function TaskInstanceActions({ dagId, runId, taskId, mapIndex }: { dagId: string; runId: string; taskId: string; mapIndex: number }) {
  const canEdit = useCanEdit();
  const [open, setOpen] = useState<Open>();
  if (!canEdit) return null;
  const close = () => setOpen(undefined);
  return (
    <Group gap="xs" data-testid="ti-actions">
      <Button size="xs" variant="light" onClick={() => setOpen('clear')}>
        Clear
      </Button>
      <Button size="xs" variant="light" color="teal" onClick={() => setOpen('success')}>
        Mark success
      </Button>
      <Button size="xs" variant="light" color="red" onClick={() => setOpen('failed')}>
        Mark failed
      </Button>
      {open === 'clear' && <ClearTaskModal dagId={dagId} runId={runId} taskId={taskId} mapIndex={mapIndex} opened onClose={close} />}
      {(open === 'success' || open === 'failed') && <MarkTaskModal dagId={dagId} runId={runId} taskId={taskId} mapIndex={mapIndex} newState={open} opened onClose={close} />}
    </Group>
  );
}
