/**
 * What a worker process loads: it never talks to PostgreSQL, never parses a schedule and never
 * checks a password, so neither the pg driver, nor cron-parser (with luxon), nor the argon2 native
 * module is loaded (the idle worker's RSS target of the memory bench depends on it).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cliDir = fileURLToPath(new URL('../../packages/cli/', import.meta.url));

describe('the worker process footprint', () => {
  it('`updraft worker` loads no pg, cron-parser, luxon or argon2 until it needs them', () => {
    const script = `
      import { createRequire } from 'node:module';
      await import('./dist/commands/worker.js');
      const { Worker } = await import('@updraft/worker');
      if (typeof Worker !== 'function') throw new Error('no Worker');
      process.stdout.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: cliDir, encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const loaded = (JSON.parse(out.stdout) as string[]).map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((p) => p !== undefined);
    expect(loaded).toContain('@grpc/grpc-js'); // the check sees what is loaded
    expect(loaded.filter((p) => ['pg', 'pg-pool', 'cron-parser', 'luxon', '@node-rs/argon2'].includes(p!))).toEqual([]);
  });
});
