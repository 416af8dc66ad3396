/**
 * A parser process (the real parser-child under tsx) ends when its parent is gone instead of
 * living on as an orphan. Once the parent is gone, the parser's stderr is closed: an uncaught
 * exception from a DAG file's timer, reported to stderr, failed there, and that failure came
 * back as an uncaught exception, reported to stderr again: a loop at full CPU, for ever (seen as
 * parser processes of a scheduler that exited during start-up, re-parented to pid 1).
 */
import { fork, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAlive as alive } from '../harness/cleanup.js';
import { afterAll, beforeAll, expect, it } from 'vitest';

const PARSER_CHILD = resolve('packages/core/dist/dag/parser-child.js');
const TSX = pathToFileURL(createRequire(resolve('packages/core/package.json')).resolve('tsx')).href;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'updraft-parser-orphan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function endsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

it('a parser whose stderr is gone ends on an uncaught exception instead of looping on it', async () => {
  const dagFile = join(dir, 'throws_later.ts');
  await writeFile(dagFile, "setTimeout(() => { throw new Error('late throw'); }, 200);\nexport {};\n");
  const child = fork(PARSER_CHILD, [String(process.pid)], { execArgv: ['--import', TSX], silent: true });
  child.stdout!.resume();
  try {
    await new Promise<void>((res) => child.on('message', (m: { type?: string }) => m?.type === 'ready' && res()));
    // Our end of its stderr closed, as when the parent died: its writes there fail (EPIPE).
    child.stderr!.destroy();
    const exited = new Promise<boolean>((res) => child.once('exit', () => res(true)));
    child.send({ type: 'parse', requestId: 1, defaultTimezone: 'UTC',
      jobs: [{ path: dagFile, fileloc: 'throws_later.ts', fileHash: 'x', displayPath: 'throws_later.ts' }] });
    const ended = await Promise.race([exited, new Promise<boolean>((res) => setTimeout(() => res(false), 20_000))]);
    expect(ended, 'the parser process still runs 20 s after an uncaught exception it could not write').toBe(true);
  } finally {
    child.kill('SIGKILL');
  }
}, 60_000);

it('a parser whose parent died during a parse exits', async () => {
  const dagFile = join(dir, 'busy.ts');
  // Busy at import (the parent dies meanwhile), then a throw from a timer: an uncaught exception
  // in a process whose stderr is gone.
  await writeFile(dagFile, `const end = Date.now() + 1500;
while (Date.now() < end) { /* busy */ }
setTimeout(() => { throw new Error('late throw'); }, 0);
export {};
`);
  const parent = join(dir, 'parent.mjs');
  await writeFile(parent, `import { fork } from 'node:child_process';
const child = fork(${JSON.stringify(PARSER_CHILD)}, [String(process.pid)], {
  execArgv: ['--import', ${JSON.stringify(TSX)}], silent: true,
});
child.stdout.resume();
child.stderr.resume();
child.on('message', (m) => {
  if (m?.type !== 'ready') return;
  child.send({ type: 'parse', requestId: 1, defaultTimezone: 'UTC',
    jobs: [{ path: ${JSON.stringify(dagFile)}, fileloc: 'busy.ts', fileHash: 'x', displayPath: 'busy.ts' }] });
  process.stdout.write(String(child.pid) + '\\n');
  // Gone while the file is being imported.
  setTimeout(() => process.exit(0), 300);
});
`);
  const out = await new Promise<string>((res, rej) => {
    const p = spawn(process.execPath, [parent], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => (text += c));
    p.on('error', rej);
    p.on('exit', () => res(text));
  });
  const pid = Number(out.trim());
  expect(pid).toBeGreaterThan(0);
  const ended = await endsWithin(pid, 20_000);
  if (!ended) process.kill(pid, 'SIGKILL');
  expect(ended, `parser process ${pid} still alive 20 s after its parent died`).toBe(true);
}, 60_000);
