// Everything about the DAG itself: schedule, time zone, dates, catchup, limits (runs, tasks, a
// run's timeout, failed runs that pause it), params with their defaults, owner, tags, file and when it was parsed,
// and a link to the DAGs it depends on or that depend on it.
import { Code, Group, Stack, Text } from '@mantine/core';
import type { DagDetail } from '../../api/types.js';
import { AnchorLink } from '../../components/AnchorLink.js';
import { DetailGrid } from '../../components/DetailGrid.js';
import { describeSchedule } from '../../components/schedule.js';
import { formatDate, formatDuration, relativeTime } from '../../components/time.js';

export function DetailsTab({ dag }: { dag: DagDetail }) {
  const schedule = describeSchedule(dag);
  const params = dag.params ?? {};
  return (
    <Stack gap="md" maw={900}>
      <DetailGrid
        testId="dag-details"
        items={[
          ['Schedule', [schedule.words, schedule.expression].filter(Boolean).join(' · ')],
          ['Time zone', dag.timezone ?? ''],
          ['Start date', formatDate(dag.start_date)],
          ['End date', formatDate(dag.end_date)],
          ['Catchup', dag.catchup ? 'yes' : 'no'],
          ['Next run', dag.next_dagrun_create_after ? `${formatDate(dag.next_dagrun_create_after)} (${relativeTime(dag.next_dagrun_create_after)})` : ''],
          ['Max active runs', String(dag.max_active_runs ?? '')],
          ['Max active tasks', String(dag.max_active_tasks ?? '')],
          ['Run timeout', runTimeout(dag.dag_run_timeout)],
          ['Paused after', dag.max_consecutive_failed_dag_runs ? `${dag.max_consecutive_failed_dag_runs} failed runs in a row` : 'never (failed runs do not pause it)'],
          ['Fail fast', dag.fail_fast ? 'yes: a task that fails for good stops the run' : 'no'],
          ['Owner', dag.owners?.join(', ') ?? ''],
          ['Tags', dag.tags?.map((t) => t.name).join(', ') ?? ''],
          ['File', <Code key="f">{dag.fileloc}</Code>],
          ['Last parsed', formatDate(dag.last_parsed_time)],
          ['Dependencies', (
            <AnchorLink key="d" size="sm" data-testid="dag-dependencies-link" to="/dependencies" search={{ dag: dag.dag_id }}>
              DAGs and assets it is connected to
            </AnchorLink>
          )],
        ]}
      />
      <div>
        <Text fw={600} size="sm" mb={4}>
          Params
        </Text>
        {Object.keys(params).length === 0 ? (
          <Text size="sm" c="dimmed">
            This DAG has no params.
          </Text>
        ) : (
          <Stack gap={4}>
            {Object.entries(params).map(([name, value]) => (
              <Group key={name} gap="sm" wrap="nowrap" align="flex-start">
                <Code>{name}</Code>
                <Code block style={{ flex: 1 }}>
                  {JSON.stringify(value, null, 2)}
                </Code>
              </Group>
            ))}
          </Stack>
        )}
      </div>
    </Stack>
  );
}

/** A DAG's dagrunTimeout in words ('none' without one). */
function runTimeout(t: DagDetail['dag_run_timeout']): string {
  if (t == null) return 'none';
  return formatDuration(t.days * 86_400 + t.seconds + t.microseconds / 1e6);
}
