import { dag } from '@updraft/sdk';
import { wordCount } from 'updraft-provider-example';

/**
 * A task type from a provider package: `updraft-provider-example` (dags/providers/example-provider)
 * is declared in this folder's package.json as a `file:` dependency and pinned by its
 * package-lock.json, so every worker installs it with the DAG bundle (docs/providers.md).
 */
export default dag(
  {
    dagId: 'provider_example',
    description: 'Counts the words of a templated text with a task type from a provider package.',
    schedule: null,
    tags: ['example', 'providers'],
    isPausedUponCreation: true, // examples load paused, as Airflow's do
  },
  (d) => {
    const count = wordCount(d, 'count_words', { text: 'orders loaded for {ds} by run {run_id}', minWords: 3, retries: 1 });
    const report = d.fn('report', async (ctx) => {
      const counted = await ctx.xcom.pull(count);
      return `${counted?.words} words`;
    });
    count.then(report);
  },
);
