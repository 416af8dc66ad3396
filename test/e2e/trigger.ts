/** Creating a manual DAG run in an end-to-end test, as a user does: `updraft dags trigger DAG_ID`. */
import type { CliResult } from '../harness/index.js';

export interface TriggerOptions {
  conf?: Record<string, unknown>;
  logicalDate?: Date;
}

type CliRunner = (args: string[]) => Promise<CliResult>;

/**
 * Runs `updraft dags trigger DAG_ID --output json` through `cli` (a function, or `{ cli }` as
 * earlier callers pass it, `pool` unused); resolves with the new run's id.
 */
export async function triggerDagRun(runner: CliRunner | { cli: CliRunner; pool?: unknown }, dagId: string, o: TriggerOptions = {}): Promise<string> {
  const cli = typeof runner === 'function' ? runner : runner.cli;
  const args = ['dags', 'trigger', dagId, '--output', 'json'];
  if (o.conf) args.push('--conf', JSON.stringify(o.conf));
  if (o.logicalDate) args.push('--logical-date', o.logicalDate.toISOString());
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`updraft ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  const run = JSON.parse(r.stdout) as { runId?: unknown };
  if (typeof run.runId !== 'string') throw new Error(`updraft dags trigger printed no runId:\n${r.stdout}`);
  return run.runId;
}
