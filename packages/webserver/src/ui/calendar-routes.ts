/**
 * A DAG's calendar (Airflow's Calendar view): for one year, its runs counted by day of their logical
 * date and state, and the days its schedule still has runs on (planned), both in the DAG's time zone.
 */
import { Type } from 'typebox';
import { dagsSql, gridSql, instantOfWall, plannedRunDays, wallClock } from '@updraft/core';
import type { Api, RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';
import { errorResponses, idParam } from '../routes/common.schemas.js';

const CalendarQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 1970, maximum: 9999, description: 'The year (default: this year in the DAG\'s time zone).' })),
});

const CalendarSchema = Type.Object({
  dag_id: Type.String(),
  timezone: Type.String({ description: 'The DAG\'s time zone: days are its days.' }),
  year: Type.Integer(),
  days: Type.Array(Type.Object({
    date: Type.String({ description: 'YYYY-MM-DD.' }),
    states: Type.Record(Type.String(), Type.Integer(), { description: 'Runs with a logical date that day, by state.' }),
  }), { description: 'Days with runs, in order.' }),
  planned: Type.Array(Type.String(), { description: 'Days (YYYY-MM-DD) the schedule still has runs on, from the next run on.' }),
});

/** The first instant of the year in the time zone (midnight of January 1 there). */
const yearStart = (year: number, timeZone: string): Date => instantOfWall(Date.UTC(year, 0, 1), timeZone);

export function uiCalendarRoutes(app: Api, ctx: RouteContext): void {
  app.get('/ui/dags/:dag_id/calendar', {
    config: { permission: 'dags.read' },
    schema: {
      tags: ['UI'], summary: 'A DAG\'s calendar: a year of runs by day and state, and the days still planned',
      params: Type.Object({ dag_id: idParam('dag id', 'The DAG id.') }), querystring: CalendarQuery,
      response: { 200: CalendarSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const { dag_id: dagId } = request.params;
    const page = await dagsSql.listDagPage(ctx.db, { limit: 1, offset: 0, dagIds: [dagId], onlyActive: false });
    const dag = page.rows[0];
    if (dag === undefined) throw new HttpProblem(404, `DAG '${dagId}' not found`, { field: 'path.dag_id' });
    const tz = dag.timezone;
    const year = request.query.year ?? wallClock(new Date(), tz).year;
    const from = yearStart(year, tz);
    const to = yearStart(year + 1, tz);
    const days = await gridSql.calendarDays(ctx.db, dagId, from, to, tz);
    return {
      dag_id: dagId, timezone: tz, year,
      days: days.map((d) => ({ date: d.day, states: d.states })),
      planned: dag.isPaused ? [] : plannedRunDays(dag, from, to),
    };
  });
}
