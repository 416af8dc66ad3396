// Record an asset event by hand (an update made outside Updraft, Airflow's "Create asset event"):
// an optional JSON object kept as the event's extra. The DAGs scheduled on the asset may get a run.
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok, type Ok } from '../../api/client.js';
import { FormError } from '../admin/FormError.js';

export type RecordedEvent = Ok<'/api/v1/assets/events', 'post'>;

/** The extra as an object, or what is wrong with the text (empty text: no extra). */
export function parseExtra(text: string): { extra: Record<string, unknown> } | { problem: string } {
  const t = text.trim();
  if (t === '') return { extra: {} };
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch (e) {
    return { problem: `Extra is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'Extra must be a JSON object, like {"file": "orders.csv"}.' };
  return { extra: value as Record<string, unknown> };
}

export function RecordEventModal({ uri, consumers, onClose }: { uri: string; consumers: string[]; onClose: (made?: RecordedEvent) => void }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const record = useMutation({
    mutationFn: (extra: Record<string, unknown>) => ok(api.POST('/api/v1/assets/events', { body: { asset_uri: uri, extra } })),
    onSuccess: async (made) => {
      await queryClient.invalidateQueries({ queryKey: ['assets'] });
      onClose(made);
    },
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = parseExtra(text);
    if ('problem' in parsed) {
      setProblem(parsed.problem);
      return;
    }
    setProblem(undefined);
    record.mutate(parsed.extra);
  };
  return (
    <Modal opened onClose={() => onClose()} title="Record an asset event" size="lg">
      <form onSubmit={submit} aria-label="asset event form">
        <Stack gap="sm">
          <Text size="sm" style={{ wordBreak: 'break-all' }}>
            An update of <b>{uri}</b> made outside Updraft.{' '}
            {consumers.length > 0
              ? `DAGs scheduled on it (${consumers.join(', ')}) get a run once their schedule's assets are all updated.`
              : 'No DAG is scheduled on it.'}
          </Text>
          <Textarea
            label="Extra"
            description='Optional JSON object kept with the event; the runs it triggers read it (ctx.triggeringAssetEvents).'
            placeholder='{"file": "orders-2026-12-01.csv"}'
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autosize
            minRows={3}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <FormError error={problem ?? record.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose()}>
              Cancel
            </Button>
            <Button type="submit" loading={record.isPending}>
              Record event
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
