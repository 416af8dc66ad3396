/**
 * One DAG file that hangs at import never delays the others (a real `updraft scheduler`): while
 * the hanging file is being imported, a new DAG file shows up in `updraft dags list` before the
 * hanging file's parse timeout fires (an ordering fact, not a time measurement: the timeout is a
 * generous 20 s, so the test holds on a loaded machine), and a file that hung is not imported again
 * while it is unchanged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack.js';

/** Waits forever at import (as on a network call that never answers; no CPU burnt, so the test holds on a loaded machine). */
const HANGS = "import { dag } from '@updraft/sdk';\n// Never finishes importing (waits forever, as on a network call that never answers).\nawait new Promise(() => setInterval(() => undefined, 1000));\nexport default dag({ dagId: 'never_loads' });\n";
const dagFile = (dagId: string): string =>
  `import { dag } from '@updraft/sdk';\nexport default dag({ dagId: '${dagId}', schedule: null }, (d) => { d.empty('t'); });\n`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('a hanging DAG file', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      dagFiles: [],
      workers: [],
      schedulerEnv: { UPDRAFT__CORE__DAG_FILE_PROCESSOR_TIMEOUT: '20s' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const dagIds = async (): Promise<string[]> => {
    const r = await stack.cli(['dags', 'list', '--no-refresh', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as Array<{ dagId: string }>).map((d) => d.dagId);
  };
  const importErrors = async (): Promise<Array<{ fileloc: string; kind: string }>> => {
    const r = await stack.cli(['dags', 'list-import-errors', '--no-refresh', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Array<{ fileloc: string; kind: string }>;
  };
  /** Polls until `check` holds (each poll is a CLI run); fails with `what` after `limitMs`. */
  const until = async (what: string, check: () => Promise<boolean>, limitMs = 90_000): Promise<void> => {
    const deadline = Date.now() + limitMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what} did not happen\n${stack.diagnostics()}`);
      await sleep(200);
    }
  };

  it('a new file appears before the hanging file times out; the hang is then recorded once', async () => {
    writeFileSync(join(stack.dagsFolder, 'hangs.ts'), HANGS);
    // Let the scheduler's watch pick the hanging file up (its import then runs into the timeout).
    await sleep(1500);
    writeFileSync(join(stack.dagsFolder, 'arrives_later.ts'), dagFile('arrives_later'));

    await until('arrives_later in dags list', async () => (await dagIds()).includes('arrives_later'));
    // The ordering fact: the hanging file's import error (written when its 20 s timeout fires) is not there yet.
    expect((await importErrors()).map((e) => e.fileloc)).not.toContain('hangs.ts');

    await until('the hanging file recorded as a timeout', async () => (await importErrors()).some((e) => e.fileloc === 'hangs.ts'));
    expect((await importErrors()).find((e) => e.fileloc === 'hangs.ts')!.kind).toBe('timeout');

    // Unchanged, it is not imported again: another new file loads, and the scheduler reported the
    // hang once.
    writeFileSync(join(stack.dagsFolder, 'third.ts'), dagFile('third'));
    await until('third in dags list', async () => (await dagIds()).includes('third'));
    const log = stack.scheduler!.output();
    expect(log.match(/hangs\.ts: importing the file took longer than 20s/g)?.length).toBe(1);
    expect(await dagIds()).toEqual(expect.arrayContaining(['arrives_later', 'third']));
  });
});
