// Add a pool, or change a pool's slots and description (pools are not renamed).
import { NumberInput, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok, type Ok } from '../../api/client.js';
import { FormModal } from './FormModal.js';

export type Pool = Ok<'/api/v1/pools'>['pools'][number];

export function PoolForm({ editing, onClose }: { editing: Pool | undefined; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(editing?.name ?? '');
  const [slots, setSlots] = useState<string | number>(editing?.slots ?? 128);
  const [description, setDescription] = useState(editing?.description ?? '');
  const [problem, setProblem] = useState<string>();

  const save = useMutation({
    mutationFn: async () => {
      const body = { slots: Number(slots), description: description.trim() === '' ? null : description };
      if (editing) return ok(api.PATCH('/api/v1/pools/{pool_name}', { params: { path: { pool_name: editing.name } }, body }));
      return ok(api.POST('/api/v1/pools', { body: { name: name.trim(), ...body } }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['pools'] });
      onClose();
    },
  });

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const p = name.trim() === '' ? 'Name is required.' : typeof slots !== 'number' ? 'Slots must be a whole number (-1: unlimited).' : undefined;
    setProblem(p);
    if (!p) save.mutate();
  };

  return (
    <FormModal title={editing ? `Edit pool ${editing.name}` : 'Add pool'} label="pool form" error={problem ?? save.error} saving={save.isPending} onSubmit={submit} onClose={onClose}>
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} disabled={!!editing} />
      <NumberInput label="Slots" description="-1: unlimited" value={slots} onChange={setSlots} min={-1} allowDecimal={false} />
      <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
    </FormModal>
  );
}
