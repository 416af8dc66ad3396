import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UpdraftError } from '../errors.js';

/** One numbered SQL migration file, `NNNN_name.sql`. */
export interface MigrationFile {
  version: number;
  name: string;
  /** sha256 (hex) of the SQL with line endings normalized to \n. */
  checksum: string;
  sql: string;
  path: string;
}

/** packages/core/migrations, found relative to this module (same depth from src/ and dist/). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * Reads the migrations of `dir` in version order. Any `.sql` file whose name does not follow
 * `NNNN_name.sql` (lowercase, digits, underscores) or whose number repeats is an error:
 * a migration that would silently never run is worse than a refusal to start.
 */
export async function readMigrationFiles(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new UpdraftError('MIGRATION_FAILED', `cannot read migrations directory ${dir}`, { cause: err });
  }
  const files: MigrationFile[] = [];
  for (const fileName of names.filter((n) => n.endsWith('.sql')).sort()) {
    const match = FILE_PATTERN.exec(fileName);
    if (!match) {
      throw new UpdraftError(
        'MIGRATION_FAILED',
        `migration file ${join(dir, fileName)} is not named NNNN_name.sql (4 digits, lowercase name)`,
      );
    }
    const version = Number(match[1]);
    const previous = files.find((f) => f.version === version);
    if (previous) {
      throw new UpdraftError(
        'MIGRATION_FAILED',
        `migrations ${previous.path} and ${join(dir, fileName)} share version ${match[1]}`,
      );
    }
    const path = join(dir, fileName);
    const sql = (await readFile(path, 'utf8')).replace(/\r\n/g, '\n');
    files.push({ version, name: match[2] ?? '', checksum: sha256(sql), sql, path });
  }
  return files;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
