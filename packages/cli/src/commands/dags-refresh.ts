/**
 * `updraft dags refresh`: asks the leading scheduler to refresh the DAG bundle now (NOTIFY
 * updraft_bundle_refresh): with `core.dags_bundle = git:...` it fetches the branch, checks out its
 * head and parses it; with the DAGs folder it scans the folder. Prints the commit and the bundle
 * version that became current once the DAG files are written, or the scheduler's error (exit 1).
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type pg from 'pg';
import { dagBundlesSql, listen, UpdraftError } from '@updraft/core';
import { oneOf } from '../output.js';
import { dagsGroup, withDatabase } from './runs.js';

type Answer = dagBundlesSql.BundleRefreshAnswer;

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UpdraftError('INVALID_ARGUMENT', `--timeout expects a number of seconds > 0, got "${value}"`);
  return seconds;
}

/** Listens for answers, sends the request, resolves with the answer to it (or undefined after `timeoutMs`). */
async function askScheduler(pool: pg.Pool, timeoutMs: number): Promise<Answer | undefined> {
  const id = randomUUID();
  let settle: (a: Answer | undefined) => void = () => undefined;
  const answered = new Promise<Answer | undefined>((resolve) => (settle = resolve));
  const listener = listen({
    channel: dagBundlesSql.BUNDLE_REFRESHED_CHANNEL,
    connection: { ...pool.options, application_name: 'updraft-dags-refresh' },
    onNotify: (payload) => {
      try {
        const a = JSON.parse(payload) as Answer;
        if (a.id === id) settle(a);
      } catch {
        // not an answer of this version: ignore it
      }
    },
  });
  const timer = setTimeout(() => settle(undefined), timeoutMs);
  try {
    await listener.ready;
    await dagBundlesSql.requestBundleRefresh(pool, id);
    return await answered;
  } finally {
    clearTimeout(timer);
    await listener.close();
  }
}

export function registerDagsRefresh(program: Command): void {
  dagsGroup(program)
    .command('refresh')
    .description('make the running scheduler refresh the DAG bundle now (a git bundle: fetch the branch and parse its head) and print the commit and bundle version that became current')
    .option('--timeout <seconds>', 'how long to wait for the scheduler (fetch and parse)', parseSeconds, 300)
    .option('-o, --output <format>', 'text or json', oneOf('--output', ['text', 'json']), 'text')
    .action(async (options: { timeout: number; output: string }, command: Command) =>
      withDatabase(command, async (db) => {
        const answer = await askScheduler(db.pool, options.timeout * 1000);
        if (answer === undefined) {
          throw new UpdraftError('TIMEOUT', `no scheduler answered within ${options.timeout} s: is a scheduler running (and leading) against this database? ` +
            '(a fetch of a large repository may need a longer --timeout)');
        }
        if (answer.error !== null) throw new UpdraftError('GIT_ERROR', `refresh of the DAG bundle failed: ${answer.error}`);
        if (options.output === 'json') {
          process.stdout.write(`${JSON.stringify({ source: answer.source, commit: answer.commit, version: answer.version })}\n`);
          return;
        }
        process.stdout.write(answer.commit === null
          ? `DAG bundle (${answer.source}): version ${answer.version}\n`
          : `DAG bundle ${answer.source}: commit ${answer.commit}, version ${answer.version}\n`);
      }),
    );
}
