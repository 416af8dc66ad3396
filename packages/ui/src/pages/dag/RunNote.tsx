// A run's note: shown to everyone; roles that may change runs edit it in place (empty clears it).
import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client.js';
import { useCanEdit } from '../../components/actions/use-can-edit.js';
import { FormError } from '../admin/FormError.js';

export function RunNote({ dagId, runId, note }: { dagId: string; runId: string; note: string | null }) {
  const canEdit = useCanEdit();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (text: string) =>
      ok(api.PATCH('/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/setNote', { params: { path: { dag_id: dagId, dag_run_id: runId } }, body: { note: text } })),
    onSuccess: async () => {
      setDraft(null);
      await qc.invalidateQueries({ queryKey: ['dag', dagId, 'run', runId] });
    },
  });
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
        {note ? <Text size="sm" data-testid="run-note" style={{ whiteSpace: 'pre-wrap' }}>{note}</Text> : <Text size="sm" c="dimmed">No note.</Text>}
      </Stack>
    );
  }
  return (
    <form
      aria-label="run note"
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
