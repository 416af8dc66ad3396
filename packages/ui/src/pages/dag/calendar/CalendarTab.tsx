// A DAG's calendar (Airflow's Calendar view): a year of days in the DAG's time zone, each square
// coloured by its runs (failed first, then running, queued, success), the days the schedule still
// has runs on outlined as planned; a day's counts on hover.
import { ActionIcon, Group, Stack, Text, Tooltip } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, ok } from '../../../api/client.js';
import { stateCssColor } from '../../../components/state-colors.js';
import { dayKind, describeDay, yearCells, type DayKind } from './calendar-model.js';
import classes from './CalendarTab.module.css';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LEGEND: DayKind[] = ['success', 'failed', 'running', 'queued', 'planned'];

const fill = (kind: DayKind): string | undefined => (kind === 'planned' || kind === 'empty' ? undefined : stateCssColor(kind));

export function CalendarTab({ dagId, year }: { dagId: string; year: number | undefined }) {
  const navigate = useNavigate();
  const setYear = (y: number) => void navigate({ to: '.', search: (s: Record<string, unknown>) => ({ ...s, year: y }) });
  const calendar = useQuery({
    queryKey: ['dag', dagId, 'calendar', year ?? 'now'],
    queryFn: () => ok(api.GET('/ui/dags/{dag_id}/calendar', { params: { path: { dag_id: dagId }, query: year === undefined ? {} : { year } } })),
    placeholderData: keepPreviousData,
  });
  if (calendar.error) return <Text c="red">{calendar.error.message}</Text>;
  const data = calendar.data;
  if (!data) return null;
  const cells = yearCells(data.year, data.days, data.planned);
  const runs = data.days.reduce((n, d) => n + Object.values(d.states).reduce((a, b) => a + b, 0), 0);
  // A month's label over the week column holding its first day.
  const monthColumns = MONTHS.map((_, m) => cells.find((c) => c.date.endsWith(`-${String(m + 1).padStart(2, '0')}-01`))!.week);
  return (
    <Stack gap="sm" data-testid="calendar" data-year={data.year}>
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <ActionIcon variant="default" aria-label="previous year" onClick={() => setYear(data.year - 1)}>
            ‹
          </ActionIcon>
          <Text fw={600} data-testid="calendar-year">
            {data.year}
          </Text>
          <ActionIcon variant="default" aria-label="next year" onClick={() => setYear(data.year + 1)}>
            ›
          </ActionIcon>
          <Text size="sm" c="dimmed" data-testid="calendar-summary">
            {runs} {runs === 1 ? 'run' : 'runs'} · days in {data.timezone}
          </Text>
        </Group>
        <Group gap="md">
          {LEGEND.map((k) => (
            <Text key={k} size="xs" c="dimmed">
              <span className={`${classes.day} ${classes.swatch}`} data-kind={k} style={{ background: fill(k) }} />
              {k}
            </Text>
          ))}
        </Group>
      </Group>
      <div className={classes.year}>
        <div className={classes.weekdays} aria-hidden>
          {['Mon', '', 'Wed', '', 'Fri', '', ''].map((d, i) => (
            <span key={i}>{d}</span>
          ))}
        </div>
        <div style={{ minWidth: 0 }}>
          <div className={classes.months} aria-hidden>
            {monthColumns.map((week, m) => (
              <span key={MONTHS[m]} style={{ gridColumn: week + 1 }}>
                {MONTHS[m]}
              </span>
            ))}
          </div>
          <div className={classes.grid} role="grid" aria-label={`runs in ${data.year}`}>
            {cells.map((c) => {
              const kind = dayKind(c);
              const text = `${c.date}: ${describeDay(c)}`;
              return (
                <Tooltip key={c.date} label={text} openDelay={100}>
                  <div
                    className={classes.day}
                    role="gridcell"
                    aria-label={text}
                    data-testid="calendar-day"
                    data-date={c.date}
                    data-kind={kind}
                    style={{ gridRow: c.weekday + 1, gridColumn: c.week + 1, background: fill(kind) }}
                  />
                </Tooltip>
              );
            })}
          </div>
        </div>
      </div>
    </Stack>
  );
}
