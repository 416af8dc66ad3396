/**
 * How a command reaches the metadata database:
 * - `database.url` set: a pool on that PostgreSQL;
 * - empty (the embedded default): the embedded PostgreSQL of a running `updraft standalone`
 *   (found through its runtime file), or else one started for this command and stopped after.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { createPool, migrate } from '@updraft/core/data';
import type { UpdraftConfig } from '@updraft/core/data';
import { startEmbeddedDatabase } from './embedded-postgres.js';

export interface OpenDatabase {
  pool: pg.Pool;
  url: string;
  /** True when this process started the embedded PostgreSQL. */
  embedded: boolean;
  close(): Promise<void>;
}

/** What a running `updraft standalone` tells other commands on this machine. */
export interface StandaloneRuntime {
  pid: number;
  databaseUrl: string;
  schedulerAddress: string;
  webserverUrl: string;
  logFolder: string;
}

export function runtimeFile(cfg: UpdraftConfig): string {
  return path.join(path.dirname(path.resolve(cfg.database.embeddedDataDir)), 'standalone.json');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readStandaloneRuntime(cfg: UpdraftConfig): StandaloneRuntime | undefined {
  const file = runtimeFile(cfg);
  if (!existsSync(file)) return undefined;
  try {
    const runtime = JSON.parse(readFileSync(file, 'utf8')) as StandaloneRuntime;
    return isAlive(runtime.pid) ? runtime : undefined;
  } catch {
    return undefined;
  }
}

export function writeStandaloneRuntime(cfg: UpdraftConfig, runtime: StandaloneRuntime): () => void {
  const file = runtimeFile(cfg);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(runtime, null, 2)}\n`);
  return () => rmSync(file, { force: true });
}

export async function openDatabase(
  cfg: UpdraftConfig,
  options: { applicationName: string; max?: number; migrate?: boolean } = { applicationName: 'updraft' },
): Promise<OpenDatabase> {
  const poolOptions = { applicationName: options.applicationName, max: options.max ?? cfg.database.poolSize };
  if (cfg.database.url) {
    const pool = createPool({ url: cfg.database.url, ...poolOptions });
    return { pool, url: cfg.database.url, embedded: false, close: () => pool.end() };
  }
  const running = readStandaloneRuntime(cfg);
  if (running) {
    const pool = createPool({ url: running.databaseUrl, ...poolOptions });
    return { pool, url: running.databaseUrl, embedded: false, close: () => pool.end() };
  }
  const db = await startEmbeddedDatabase({ dataDir: cfg.database.embeddedDataDir });
  const pool = createPool({ url: db.url, ...poolOptions });
  try {
    if (options.migrate !== false) await migrate(pool);
  } catch (err) {
    await pool.end();
    await db.stop();
    throw err;
  }
  return {
    pool,
    url: db.url,
    embedded: true,
    close: async () => {
      await pool.end();
      await db.stop();
    },
  };
}
