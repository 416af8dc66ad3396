/**
 * `updraft rotate-fernet-key`: re-encrypts every stored secret (connection passwords and extras,
 * encrypted variables) under the first key of security.fernet_key. Rotation, as in Airflow:
 * set `fernet_key = NEW,OLD`, run this, then set `fernet_key = NEW`.
 */
import type { Command } from 'commander';
import { generateFernetKey, rotateFernetKey, secretsContext } from '@updraft/core';
import { withDatabase } from './runs.js';

export function register(program: Command): void {
  program
    .command('rotate-fernet-key')
    .description('re-encrypt stored secrets with the first key of security.fernet_key (set it to NEW,OLD first)')
    .option('--generate', 'only print a new random key (to put in front of security.fernet_key)', false)
    .action(async (o: { generate: boolean }, command: Command) => {
      if (o.generate) {
        process.stdout.write(`${generateFernetKey()}\n`);
        return;
      }
      await withDatabase(command, async (db, cfg) => {
        const done = await rotateFernetKey(db.pool, secretsContext(cfg));
        process.stdout.write(`re-encrypted ${done.connections} connection(s) and ${done.variables} variable(s) with the first key of security.fernet_key\n`);
      });
    });
}
