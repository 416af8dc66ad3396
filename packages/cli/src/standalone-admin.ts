/**
 * `updraft standalone` on first start (no user in the database yet): creates the user `admin`
 * (role Admin) with a random password, prints it once and stores it in the data folder
 * (standalone_admin_password.txt, mode 0600, next to the embedded database), as `airflow
 * standalone` does. Later starts leave users alone.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword, randomPassword, usersSql, type Queryable, type UpdraftConfig } from '@updraft/core';

export const STANDALONE_ADMIN = 'admin';

export function adminPasswordFile(cfg: UpdraftConfig): string {
  return path.join(path.dirname(path.resolve(cfg.database.embeddedDataDir)), 'standalone_admin_password.txt');
}

/** The created user's password and where it was stored, or null when users exist already. */
export async function ensureStandaloneAdmin(db: Queryable, cfg: UpdraftConfig): Promise<{ password: string; file: string } | null> {
  if ((await usersSql.countUsers(db)) > 0) return null;
  const password = randomPassword();
  const user = await usersSql.createUser(db, {
    username: STANDALONE_ADMIN, role: 'Admin', passwordHash: await hashPassword(password), email: null, firstName: '', lastName: '',
  });
  if (user === null) return null;
  const file = adminPasswordFile(cfg);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { password, file };
}
