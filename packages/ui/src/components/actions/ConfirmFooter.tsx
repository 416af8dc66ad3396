// A modal's last row: the error of the confirmed call (the problem document's detail), Cancel and Confirm.
import { Alert, Button, Group } from '@mantine/core';

export function ConfirmFooter(props: { error: Error | null; pending: boolean; disabled: boolean; color?: string; onCancel(): void; onConfirm(): void }) {
  return (
    <>
      {props.error && (
        <Alert color="red" title="The change was refused">
          {props.error.message}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onCancel}>
          Cancel
        </Button>
        <Button color={props.color} loading={props.pending} disabled={props.disabled} onClick={props.onConfirm}>
          Confirm
        </Button>
      </Group>
    </>
  );
}
