// The bottom of a Clear modal (a run's or a task's): what the dry run says will run again, then Cancel and Confirm.
import { Text } from '@mantine/core';
import { AffectedList, type AffectedTi } from './AffectedList.js';
import { ConfirmFooter } from './ConfirmFooter.js';

export function ClearConfirm(props: {
  /** The dry run's task instances; undefined until it answers. */
  items: AffectedTi[] | undefined;
  preview: { isFetching: boolean; error: Error | null };
  clear: { isPending: boolean; error: Error | null; mutate(): void };
  onClose(): void;
}) {
  const { items, preview, clear } = props;
  return (
    <>
      <Text size="sm">
        {items ? `${items.length} task instance${items.length === 1 ? '' : 's'} will be cleared and run again:` : 'Task instances that will be cleared:'}
      </Text>
      <AffectedList items={items} loading={preview.isFetching} error={preview.error} empty="Nothing to clear with these options." />
      <ConfirmFooter
        error={clear.error}
        pending={clear.isPending}
        disabled={!items || items.length === 0 || preview.isFetching}
        onCancel={props.onClose}
        onConfirm={() => clear.mutate()}
      />
    </>
  );
}
