/**
 * The `updraft` command: one program, one module per command group under ./commands.
 * Each module exports `register(program)`; add new groups to COMMAND_GROUPS.
 */
import { Command, CommanderError } from 'commander';

type Register = (program: Command) => void;

// Loaded lazily so `updraft --help` and light commands stay fast.
const COMMAND_GROUPS: Array<() => Promise<{ register: Register }>> = [
  () => import('./commands/config.js'),
  () => import('./commands/db.js'),
  () => import('./commands/dags.js'),
  // After dags.js: adds trigger/pause/unpause/state/test to its `dags` group.
  () => import('./commands/runs.js'),
  () => import('./commands/tasks.js'),
  () => import('./commands/scheduler.js'),
  () => import('./commands/worker.js'),
  () => import('./commands/workers.js'),
  () => import('./commands/standalone.js'),
  () => import('./commands/webserver.js'),
];

export async function buildProgram(): Promise<Command> {
  const program = new Command('updraft')
    .description('Updraft: workflow orchestration in TypeScript (DAGs, scheduler, workers, UI).')
    .option('--config <file>', 'configuration file (default: $UPDRAFT_CONFIG or ./updraft.cfg)')
    .showHelpAfterError()
    .exitOverride();
  for (const load of COMMAND_GROUPS) (await load()).register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`updraft: ${message}\n`);
    if (process.env.UPDRAFT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}
