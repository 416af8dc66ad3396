// Add a pool, or change a pool's slots and description (pools are not renamed).
import { Button, Group, Modal, NumberInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok, type Ok } from '../../api/client.js';
import { FormError } from './FormError.js';

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
    <Modal opened onClose={onClose} title={editing ? `Edit pool ${editing.name}` : 'Add pool'}>
      <form onSubmit={submit} aria-label="pool form">
        <Stack gap="sm">
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} disabled={!!editing} />
          <NumberInput label="Slots" description="-1: unlimited" value={slots} onChange={setSlots} min={-1} allowDecimal={false} />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <FormError error={problem ?? save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
