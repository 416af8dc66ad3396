import { chain, dag } from '@updraft/sdk';
import { http, sql, withHooks } from '@updraft/providers';

/**
 * The built-in task types (@updraft/providers, docs/providers.md) on two connections to set up
 * first:
 *
 *   updraft connections add warehouse --conn-uri 'postgres://etl:PASSWORD@db.example.com:5432/analytics'
 *   updraft connections add reports_api --conn-type http --conn-host https://reports.example.com \
 *     --conn-login updraft --conn-password PASSWORD
 *
 * (`warehouse` may be MySQL or MariaDB too: `mysql://...`; the SQL below is PostgreSQL's.)
 * Each day: write the day's orders into a table of its own, summarise them by region, check the
 * reporting service is up, then post the summary to it.
 */
export default dag(
  {
    dagId: 'orders_report',
    description: 'Loads and summarises the day\'s orders in SQL, then posts the summary over HTTP.',
    schedule: '@daily',
    startDate: '2024-01-01',
    tags: ['example', 'sql', 'http'],
    isPausedUponCreation: true, // examples load paused, as Airflow's do
    params: { currency: 'EUR' },
    defaultArgs: { retries: 2, retryDelay: '30s' },
  },
  (d) => {
    // Several statements, run in order on one connection; {{ ds }} is the run's day.
    const load = sql(d, 'load_orders', {
      connId: 'warehouse',
      split: true,
      sql: `
        CREATE TABLE IF NOT EXISTS example_orders (day date, region text, amount numeric, currency text);
        DELETE FROM example_orders WHERE day = '{{ ds }}';
        INSERT INTO example_orders VALUES
          ('{{ ds }}', 'eu', 120.50, '{{ params.currency }}'),
          ('{{ ds }}', 'us', 99.00, '{{ params.currency }}'),
          ('{{ ds }}', 'eu', 30.25, '{{ params.currency }}');`,
    });

    // Values go in bound parameters, apart from the text; the rows become the XCom value.
    const summary = sql(d, 'summarise', {
      connId: 'warehouse',
      sql: 'SELECT region, count(*) AS orders, sum(amount) AS total FROM example_orders WHERE day = $1 GROUP BY region ORDER BY region',
      parameters: (ctx) => [ctx.ds],
      returnRows: 'all',
    });

    // A 5xx or a network error is retried (retries: 2); a false responseCheck fails the task.
    const up = http(d, 'reports_api_up', {
      connId: 'reports_api',
      method: 'GET',
      endpoint: '/health',
      responseCheck: (response) => response.json<{ status?: string }>().status === 'ok',
    });

    // A function task with hooks: a fetch bound to the connection's base URL and credentials.
    const publish = d.fn('publish', withHooks(async (ctx) => {
      const rows = await ctx.xcom.pull(summary);
      const api = await ctx.hook('reports_api', 'http');
      const response = await api(`/reports/orders/${ctx.ds}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ day: ctx.ds, regions: rows ?? [] }),
      });
      if (!response.ok) throw new Error(`the reporting service answered ${response.status}: ${await response.text()}`);
      ctx.log(`published ${rows?.length ?? 0} regions for ${ctx.ds}`);
    }));

    chain(load, summary, up, publish);
  },
);
