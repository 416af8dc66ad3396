// A "Delete" button that asks before deleting and shows the API's error if the deletion fails.
import { Button, Group, Modal, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormError } from './FormError.js';

interface Props {
  /** What is deleted, e.g. "connection my_db". */
  what: string;
  remove: () => Promise<unknown>;
  /** The query to refresh afterwards. */
  queryKey: readonly unknown[];
}

export function ConfirmDelete({ what, remove, queryKey }: Props) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const del = useMutation({
    mutationFn: remove,
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey });
    },
  });
  return (
    <>
      <Button size="compact-xs" variant="subtle" color="red" aria-label={`Delete ${what}`} onClick={() => setOpen(true)}>
        Delete
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Delete?">
        <Text size="sm">Delete {what}? This cannot be undone.</Text>
        <FormError error={del.error} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button color="red" loading={del.isPending} onClick={() => del.mutate()}>
            Delete
          </Button>
        </Group>
      </Modal>
    </>
  );
}
