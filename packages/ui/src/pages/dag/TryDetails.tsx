// One try of a task instance: where it ran (worker, linked to its page in the monitor; host; pid;
// queue), when, how long, its exit code and why it ended (zombie, timeout, killed, requeued…), and
// the fields its templates rendered to (the bash command, the environment; the run a trigger task
// triggered, linked, with its conf).
import { Anchor, Code, Stack, Text } from '@mantine/core';
import { AnchorLink } from '../../components/AnchorLink.js';
import { DetailGrid } from '../../components/DetailGrid.js';
import { useMonitorUrl } from '../../components/monitor-url.js';
import { StateBadge } from '../../components/StateBadge.js';
import { formatDate, formatDuration } from '../../components/time.js';

/** A try as the tries API answers it (the fields shown). */
export interface TaskTry {
  task_id: string;
  dag_run_id: string;
  state: string | null;
  try_number: number;
  max_tries: number;
  start_date: string | null;
  end_date: string | null;
  duration: number | null;
  hostname: string | null;
  worker?: string | null;
  pid: number | null;
  queue: string | null;
  pool?: string;
  operator: string | null;
  queued_when?: string | null;
  pending_reason?: string | null;
  exit_code?: number | null;
  end_reason?: string | null;
  requeue_count?: number;
  last_requeue_reason?: string | null;
  rendered_fields?: Record<string, unknown>;
}


function WorkerLink({ name }: { name: string }) {
  const monitor = useMonitorUrl();
  if (!monitor) return name;
  return (
    <Anchor href={`${monitor}/worker/${encodeURIComponent(name)}`} target="_blank" rel="noopener" data-testid="worker-link">
      {name}
    </Anchor>
  );
}

function requeued(t: TaskTry): string {
  if (!t.requeue_count) return '';
  return `${t.requeue_count} time${t.requeue_count === 1 ? '' : 's'}${t.last_requeue_reason ? ` · last: ${t.last_requeue_reason}` : ''}`;
}

/** The run a trigger task's try triggered (its rendered fields), linked to its page. */
function TriggeredRun({ rendered }: { rendered: Record<string, unknown> }) {
  const dagId = rendered.trigger_dag_id;
  const runId = rendered.trigger_run_id;
  if (typeof dagId !== 'string' || typeof runId !== 'string') return null;
  return (
    <div data-testid="triggered-run">
      <Text size="xs" c="dimmed">Triggered run</Text>
      <AnchorLink size="sm" data-testid="triggered-run-link" to="/dags/$dagId/runs/$runId" params={{ dagId, runId }} search={{}}>
        {dagId} · {runId}
      </AnchorLink>
      {rendered.conf !== null && typeof rendered.conf === 'object' && Object.keys(rendered.conf).length > 0 && (
        <Code block fz="xs" data-testid="triggered-conf" style={{ whiteSpace: 'pre-wrap', maxHeight: 160, overflow: 'auto' }}>
          {JSON.stringify(rendered.conf, null, 2)}
        </Code>
      )}
    </div>
  );
}

export function TryDetails({ t }: { t: TaskTry }) {
  const rendered = t.rendered_fields ?? {};
  const command = typeof rendered.bash_command === 'string' ? rendered.bash_command : undefined;
  const env = rendered.env !== null && typeof rendered.env === 'object' ? Object.entries(rendered.env as Record<string, string>) : [];
  return (
    <Stack gap="xs">
      <DetailGrid
        testId="try-details"
        items={[
          ['Try', `${t.try_number} of ${t.max_tries}`],
          ['State', <StateBadge key="s" state={t.state} />],
          // An element is never empty to the grid: no worker is given as '' so that it shows a dash like the rest.
          ['Worker', t.worker ? <WorkerLink key="w" name={t.worker} /> : ''],
          ['Host', t.hostname ?? ''],
          ['PID', t.pid ? String(t.pid) : ''],
          ['Queue', [t.queue, t.pool].filter(Boolean).join(' · pool ')],
          ['Started', formatDate(t.start_date)],
          ['Ended', formatDate(t.end_date)],
          ['Duration', formatDuration(t.duration)],
          ['Exit code', t.exit_code === null || t.exit_code === undefined ? '' : String(t.exit_code)],
          ['Ended because', t.end_reason ?? ''],
          ['Requeued', requeued(t)],
        ]}
      />
      <TriggeredRun rendered={rendered} />
      {(command !== undefined || env.length > 0) && (
        <div data-testid="rendered-fields">
          {command !== undefined && <Text size="xs" c="dimmed">Rendered command</Text>}
          {command !== undefined && (
            <Code block fz="xs" data-testid="rendered-command" style={{ whiteSpace: 'pre-wrap', maxHeight: 240, overflow: 'auto' }}>
              {command}
            </Code>
          )}
          {env.length > 0 && <Text size="xs" c="dimmed" mt={4}>Rendered environment</Text>}
          {env.length > 0 && (
            <Code block fz="xs" data-testid="rendered-env" style={{ whiteSpace: 'pre-wrap', maxHeight: 160, overflow: 'auto' }}>
              {env.map(([k, v]) => `${k}=${v}`).join('\n')}
            </Code>
          )}
        </div>
      )}
    </Stack>
  );
}
