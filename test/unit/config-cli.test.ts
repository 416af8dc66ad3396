import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.js';

// Real `updraft` processes in a scratch directory (no updraft.cfg or .env of the repository).
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'updraft-config-cli-'));
  writeFileSync(join(dir, 'site.cfg'), '[worker]\numask = 0002\n[security]\nworker_token = tok-123\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd: dir, env: { UPDRAFT_CONFIG: undefined, ...env } });

describe('updraft config', () => {
  it('get prints one value from --config, and the environment overrides it', async () => {
    const fromFile = await run(['--config', 'site.cfg', 'config', 'get', 'worker', 'umask']);
    expect(fromFile).toMatchObject({ code: 0, stdout: '0002\n' });
    const fromEnv = await run(['--config', 'site.cfg', 'config', 'get', 'worker', 'umask'], { UPDRAFT__WORKER__UMASK: '0077' });
    expect(fromEnv).toMatchObject({ code: 0, stdout: '0077\n' });
  });

  it('get of an unknown key exits 1 naming it', async () => {
    const result = await run(['config', 'get', 'worker', 'umaks']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown configuration key worker.umaks');
  });

  it('list shows values and sources, with secrets masked', async () => {
    const result = await run(['--config', 'site.cfg', 'config', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^worker\s+umask\s+0002\s+site\.cfg:2$/m);
    expect(result.stdout).toMatch(/^security\s+worker_token\s+\*\*\*\s+site\.cfg:4$/m);
    expect(result.stdout).toMatch(/^core\s+parsing_processes\s+2\s+default$/m);
    expect(result.stdout).not.toContain('tok-123');
  });

  it('a malformed value stops the command with exit 1 naming the key and variable', async () => {
    const result = await run(['config', 'list'], { UPDRAFT__SCHEDULER__TASK_QUEUED_TIMEOUT: 'soon' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('scheduler.task_queued_timeout = "soon" (env UPDRAFT__SCHEDULER__TASK_QUEUED_TIMEOUT)');
  });
});
