/**
 * `updraft config list` and `updraft config get SECTION KEY`.
 * Also exports `loadConfigForCommand`, which every command group uses to honour `--config`.
 */
import type { Command } from 'commander';
import { getOption, listOptions, loadConfig } from '@updraft/core/data';
import type { UpdraftConfig } from '@updraft/core/data';

/**
 * The configuration of a long-running component: a bad file or value ends the process at once
 * (exit code 1, the key named), whatever else may hold it open.
 */
export function loadComponentConfig(component: string, command: Command): UpdraftConfig {
  try {
    return loadConfigForCommand(command);
  } catch (err) {
    process.stderr.write(`updraft: ${component} cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

/** Loads the configuration, taking `--config FILE` from the root program when given. */
export function loadConfigForCommand(command: Command): UpdraftConfig {
  const { config } = command.optsWithGlobals<{ config?: string }>();
  return loadConfig(config === undefined ? {} : { file: config });
}

function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n');
}

export function register(program: Command): void {
  const config = program
    .command('config')
    .description('show the configuration (file, .env and UPDRAFT__SECTION__KEY variables, over defaults)');

  config
    .command('list')
    .description('list every option with its value and where it came from (secrets masked)')
    .action((_options: unknown, command: Command) => {
      const rows = listOptions(loadConfigForCommand(command)).map((r) => [r.section, r.key, r.value, r.source]);
      process.stdout.write(`${formatTable([['SECTION', 'KEY', 'VALUE', 'SOURCE'], ...rows])}\n`);
    });

  config
    .command('get')
    .description('print the value of one option (unmasked), e.g. `updraft config get worker umask`')
    .argument('<section>', 'section, e.g. core')
    .argument('<key>', 'key, e.g. dags_folder')
    .action((section: string, key: string, _options: unknown, command: Command) => {
      process.stdout.write(`${getOption(loadConfigForCommand(command), section, key)}\n`);
    });
}
