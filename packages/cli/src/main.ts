/**
 * The `updraft` command: one program, one module per command group under ./commands.
 * Each module exports `register(program)`; add new groups to COMMAND_GROUPS.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

type Register = (program: Command) => void;
type Loader = () => Promise<{ register: Register }>;

/**
 * Command groups by the top-level command they add. Only the group a command line names is loaded
 * (with the packages it imports), so `updraft worker --help` does not load the webserver; help
 * and unknown commands load them all.
 */
const COMMAND_GROUPS: ReadonlyArray<readonly [string, Loader]> = [
  ['config', () => import('./commands/config.js')],
  ['db', () => import('./commands/db.js')],
  ['dags', () => import('./commands/dags.js')],
  // After dags.js: adds trigger/pause/unpause/state/test to its `dags` group.
  ['dags', () => import('./commands/runs.js')],
  // After runs.js: adds backfill to the `dags` group, and the `backfills` group.
  ['dags', async () => ({ register: (await import('./commands/backfills.js')).registerDagsBackfill })],
  ['dags', async () => ({ register: (await import('./commands/dags-next.js')).registerDagsNextExecution })],
  ['dags', async () => ({ register: (await import('./commands/dags-refresh.js')).registerDagsRefresh })],
  ['dags', async () => ({ register: (await import('./commands/dags-delete.js')).registerDagsDelete })],
  ['backfills', async () => ({ register: (await import('./commands/backfills.js')).registerBackfills })],
  ['tasks', () => import('./commands/tasks.js')],
  ['scheduler', () => import('./commands/scheduler.js')],
  ['worker', () => import('./commands/worker.js')],
  ['workers', () => import('./commands/workers.js')],
  ['standalone', () => import('./commands/standalone.js')],
  ['webserver', () => import('./commands/webserver.js')],
  ['monitor', () => import('./commands/monitor.js')],
  ['connections', () => import('./commands/connections.js')],
  ['variables', () => import('./commands/variables.js')],
  ['pools', () => import('./commands/pools.js')],
  ['alerts', () => import('./commands/alerts.js')],
  ['users', () => import('./commands/users.js')],
  ['rotate-fernet-key', () => import('./commands/fernet.js')],
];

const PROGRAM_DESCRIPTION = 'Updraft: workflow orchestration in TypeScript (DAGs, scheduler, workers, UI).';

/** The version of this installation (package.json of the CLI). */
export function updraftVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The name of the command an argument list runs (skipping global options), or undefined. */
function commandNameOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return arg;
  }
  return undefined;
}

/** The program with the groups `argv` needs (all of them when `argv` is omitted). */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('updraft')
    .description(PROGRAM_DESCRIPTION)
    .version(updraftVersion(), '-V, --version', 'print the version of Updraft')
    .option('--config <file>', 'configuration file (default: $UPDRAFT_CONFIG or ./updraft.cfg)')
    .showHelpAfterError()
    .exitOverride();
  const name = argv === undefined ? undefined : commandNameOf(argv);
  const known = name !== undefined && COMMAND_GROUPS.some(([group]) => group === name);
  for (const [group, load] of COMMAND_GROUPS) {
    if (!known || group === name) (await load()).register(program);
  }
  return program;
}

/**
 * Output piped into a reader that stops early (`updraft tasks logs ... | head -1`) ends the command
 * quietly: a closed pipe (EPIPE) is the reader saying it has seen enough, not an error to report.
 */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw err;
    });
  }
}

export async function main(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipe();
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${updraftVersion()}\n`);
    return;
  }
  try {
    const program = await buildProgram(argv);
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
