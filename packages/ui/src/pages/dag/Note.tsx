// A note (a run's, a task instance's): shown to everyone; roles that may change runs and task
// instances edit it in place (empty clears it).
import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useCanEdit } from '../../components/actions/use-can-edit.js';
import { FormError } from '../admin/FormError.js';

export function Note(props: {
  note: string | null;
  /** The form's accessible name ("run note") and the shown note's test id ("run-note"). */
  label: string;
  testId: string;
  /** Stores `text` (empty clears it), then refreshes what shows the note. */
  save(text: string): Promise<unknown>;
}) {
  const { note } = props;
  const canEdit = useCanEdit();
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation({ mutationFn: props.save, onSuccess: () => setDraft(null) });
  if (draft === null) {
    return (
      <Stack gap={4}>
        <Group justify="space-between">
          <Text size="sm" fw={600}>Note</Text>
          {canEdit && (
            <Button size="compact-xs" variant="subtle" onClick={() => setDraft(note ?? '')} aria-label={note ? 'Edit the note' : 'Add a note'}>
              {note ? 'Edit' : 'Add a note'}
            </Button>
          )}
        </Group>
        {note ? <Text size="sm" data-testid={props.testId} style={{ whiteSpace: 'pre-wrap' }}>{note}</Text> : <Text size="sm" c="dimmed">No note.</Text>}
      </Stack>
    );
  }
  return (
    <form
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(draft);
      }}
    >
      <Stack gap={6}>
        <Textarea label="Note" value={draft} onChange={(e) => setDraft(e.currentTarget.value)} autosize minRows={2} maxLength={1000} />
        <FormError error={save.error} />
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" onClick={() => setDraft(null)}>
            Cancel
          </Button>
          <Button size="xs" type="submit" loading={save.isPending}>
            Save note
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
