// The modal an admin form sits in: its fields, then the form's error, Cancel and Save.
import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { FormError } from './FormError.js';

export function FormModal(props: {
  title: string;
  /** The form's accessible name ("pool form"). */
  label: string;
  size?: string;
  /** The browser's own checks of required fields are left out (the form says what is missing itself). */
  noValidate?: boolean;
  /** A validation message or the save's error; nothing when empty. */
  error: unknown;
  saving: boolean;
  onSubmit(e: React.FormEvent): void;
  onClose(): void;
  children: ReactNode;
}) {
  return (
    <Modal opened onClose={props.onClose} title={props.title} {...(props.size ? { size: props.size } : {})}>
      <form onSubmit={props.onSubmit} aria-label={props.label} noValidate={props.noValidate}>
        <Stack gap="sm">
          {props.children}
          <FormError error={props.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={props.saving}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
