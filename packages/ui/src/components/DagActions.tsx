// The actions on a DAG offered wherever it is shown: pause/unpause and trigger. A Viewer is
// offered neither (the API refuses them anyway); a paused DAG then shows a "paused" badge.
import { ActionIcon, Badge, Switch, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sendJson } from '../api/http.js';
import type { Dag } from '../api/types.js';

import { useState } from 'react';
import { useCanEdit } from './actions/use-can-edit.js';
import { PlayIcon } from './icons.js';
import { TriggerModal } from './trigger/TriggerModal.js';

type DagRef = Pick<Dag, 'dag_id' | 'is_paused'>;

export function PauseSwitch({ dag, readOnlyBadge = false }: { dag: DagRef; /** Show "paused" to a Viewer (where nothing else says it). Default false. */ readOnlyBadge?: boolean }) {
  const canEdit = useCanEdit();
  const qc = useQueryClient();
  const pause = useMutation({
    mutationFn: (isPaused: boolean) =>
      sendJson<Dag>('PATCH', `/api/v1/dags/${encodeURIComponent(dag.dag_id)}?update_mask=is_paused`, { is_paused: isPaused }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['dags'] }), qc.invalidateQueries({ queryKey: ['dag', dag.dag_id] })]),
    onError: (err) => notifications.show({ color: 'red', title: `Could not change ${dag.dag_id}`, message: err.message }),
  });
  const paused = pause.isPending ? Boolean(pause.variables) : Boolean(dag.is_paused);
  if (!canEdit) return readOnlyBadge && paused ? <Badge color="gray" variant="light">paused</Badge> : null;
  return (
    <Tooltip label={paused ? 'Paused: no scheduled runs. Click to unpause' : 'Active. Click to pause'}>
      <Switch
        checked={!paused}
        onChange={(e) => pause.mutate(!e.currentTarget.checked)}
        aria-label={`${paused ? 'Unpause' : 'Pause'} ${dag.dag_id}`}
        color="teal"
      />
    </Tooltip>
  );
}

export function TriggerButton({ dag }: { dag: DagRef }) {
  const canEdit = useCanEdit();
  const [opened, setOpened] = useState(false);
  if (!canEdit) return null;
  return (
    <>
      <Tooltip label="Trigger a run">
        <ActionIcon variant="light" onClick={() => setOpened(true)} aria-label={`Trigger ${dag.dag_id}`}>
          <PlayIcon />
        </ActionIcon>
      </Tooltip>
      {opened && <TriggerModal dagId={dag.dag_id} opened={opened} onClose={() => setOpened(false)} />}
    </>
  );
}
