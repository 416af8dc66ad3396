// Add or edit a variable. A value that looks like JSON (starts with { or [) must parse;
// plain text is allowed. The API's errors show in the form.
import { TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok, type Ok } from '../../api/client.js';
import { FormModal } from './FormModal.js';
import { jsonProblem } from './json-text.js';

export type Variable = Ok<'/api/v1/variables'>['variables'][number];

const MASK = '***';

export function VariableForm({ editing, onClose }: { editing: Variable | undefined; onClose: () => void }) {
  const queryClient = useQueryClient();
  const masked = editing?.value === MASK;
  const [key, setKey] = useState(editing?.key ?? '');
  // A masked value is not shown: empty keeps the stored one.
  const [value, setValue] = useState(masked ? '' : (editing?.value ?? ''));
  const [description, setDescription] = useState(editing?.description ?? '');
  const [problem, setProblem] = useState<string>();

  const save = useMutation({
    mutationFn: async () => {
      const desc = description.trim() === '' ? null : description;
      if (editing) {
        const keep = masked && value === '';
        const update_mask: ('value' | 'description')[] = keep ? ['description'] : ['value', 'description'];
        return ok(
          api.PATCH('/api/v1/variables/{variable_key}', {
            params: { path: { variable_key: editing.key }, query: { update_mask } },
            body: { key: editing.key, value, description: desc },
          }),
        );
      }
      return ok(api.POST('/api/v1/variables', { body: { key: key.trim(), value, description: desc } }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['variables'] });
      onClose();
    },
  });

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const p = (key.trim() === '' ? 'Key is required.' : undefined) ?? jsonProblem(value, 'Value');
    setProblem(p);
    if (!p) save.mutate();
  };

  return (
    <FormModal title={editing ? `Edit variable ${editing.key}` : 'Add variable'} label="variable form" size="lg" error={problem ?? save.error} saving={save.isPending} onSubmit={submit} onClose={onClose}>
      <TextInput label="Key" required value={key} onChange={(e) => setKey(e.currentTarget.value)} disabled={!!editing} />
      <Textarea
        label="Value"
        description={masked ? 'Sensitive: leave empty to keep the stored value.' : 'Text, or JSON (checked when it starts with { or [).'}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        autosize
        minRows={3}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
    </FormModal>
  );
}
