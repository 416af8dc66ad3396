/**
 * Task logs of tries that ran on another host, end to end: an `updraft worker` process writes its
 * tries' logs to a folder of its own (not the one the webserver reads) and ships every line to the
 * task-log stream of a real nats-server; the webserver reads them from there.
 *
 *  - while a task runs (it waits for a gate file the test creates), the API shows its lines, and
 *    polling with the continuation token brings the new ones; once it ended, the log read by
 *    polling and read whole (full_content) is the worker's file, byte for byte;
 *  - nats-server stops while a task logs and starts again (same port, same store): the log in the
 *    stream is still the worker's file, no line lost or repeated;
 *  - `updraft tasks logs --follow` (on a host without the worker's folder) prints a running try's
 *    lines as they come and exits 0 at the end of its log; `updraft tasks logs` prints the whole
 *    log; both are the worker's file;
 *  - a worker killed while `--follow` tails its try never marks the end of the log: the follow
 *    stops once the scheduler failed the try as a zombie, with the end it recorded, exit 0.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import { CLI_ENTRY } from '../harness/index.js';
import { basicAuth, createRoleUsers } from '../integration/api-support.js';
import { taskTries, waitFor, waitForRunEnd } from './db.js';
import { startStack, type Stack } from './stack.js';

let stack: Stack;
let web: RunningWebserver;
let workerLogs: string;

beforeAll(async () => {
  workerLogs = mkdtempSync(join(tmpdir(), 'updraft-worker-logs-'));
  stack = await startStack({
    dagFiles: ['test/fixtures/dags-e2e/log_lines.ts', 'test/fixtures/dags-e2e/log_restart.ts'],
    workers: [{ name: 'log-worker', env: { UPDRAFT__LOGGING__BASE_LOG_FOLDER: workerLogs } }],
  });
  await createRoleUsers(stack.pool);
  web = await startWebserver({ listen: '127.0.0.1:0', db: stack.pool, logFolder: stack.logFolder, logStream: { url: stack.nats.url } });
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
  if (workerLogs) rmSync(workerLogs, { recursive: true, force: true });
});

const gate = (runId: string, name: string): void => writeFileSync(join(stack.workDir, `${runId}.${name}`), '');
const diagnostics = (): string => stack.diagnostics();

/** Reads a try's log through the API as a client following it does: page after page with the token. */
class ApiLogFollower {
  content = '';
  pages = 0;
  private token: string | undefined;

  constructor(readonly path: string) {}

  /**
   * One poll; false when the API could not answer now: 503 (the stream is unavailable) or, before
   * the first page, 404 (the scheduler has not queued the try yet).
   */
  async poll(): Promise<boolean> {
    const url = `${web.url}${this.path}${this.token ? `?token=${this.token}` : ''}`;
    const res = await fetch(url, { headers: { authorization: basicAuth('Viewer'), accept: 'application/json' } });
    if (res.status === 503 || (res.status === 404 && this.pages === 0)) return false;
    const body = (await res.json()) as { content: string; continuation_token: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    this.content += body.content;
    this.token = body.continuation_token;
    this.pages += 1;
    return true;
  }

  /** Polls until the content holds `text`. */
  async until(text: string): Promise<void> {
    await waitFor(`the API log to show ${JSON.stringify(text)}`, async () => {
      await this.poll();
      return this.content.includes(text) ? true : undefined;
    }, { timeoutMs: 90_000, diagnostics });
  }
}

const logPath = (dagId: string, runId: string, taskId: string): string =>
  `/api/v1/dags/${dagId}/dagRuns/${encodeURIComponent(runId)}/taskInstances/${taskId}/logs/1`;

async function workerFile(dagId: string, runId: string): Promise<string> {
  const [t] = await taskTries(stack.pool, dagId, runId);
  return join(workerLogs, t!.logPath!);
}

const FOOTER = '[updraft] task succeeded (exit code 0)';

describe('task logs of a worker on another host, through the task-log stream', () => {
  it('the API shows a running try\'s new lines poll after poll, and the whole log once it ended', async () => {
    const dagId = 'e2e_log_lines';
    const runId = await stack.trigger(dagId);
    const api = new ApiLogFollower(logPath(dagId, runId, 'chatty'));

    // Part one while the task runs: it waits for its gate, so it is still running.
    await api.until('one line 20:');
    expect(api.content).not.toContain('[stdout] two line');
    const file = await workerFile(dagId, runId);
    const { rows } = await stack.pool.query<{ state: string; log_path: string }>(
      'SELECT state, log_path FROM task_instance_try WHERE dag_id = $1 AND run_id = $2', [dagId, runId]);
    expect(rows[0]!.state).toBe('running');
    // Not in the webserver's own folder: this came from the stream.
    expect(existsSync(join(stack.logFolder, rows[0]!.log_path))).toBe(false);
    const partOne = api.content;
    expect(readFileSync(file, 'utf8').startsWith(partOne)).toBe(true);

    gate(runId, 'more');
    const pagesBefore = api.pages;
    await api.until(FOOTER);
    // New lines came with the token, over several pages (1.5 MB > one page of 1 MiB).
    expect(api.pages - pagesBefore).toBeGreaterThan(1);
    expect(api.content.startsWith(partOne)).toBe(true);
    const run = await waitForRunEnd(stack.pool, dagId, runId, { diagnostics });
    expect(run.state).toBe('success');
    const written = readFileSync(file, 'utf8');
    expect(api.content).toBe(written);

    // The whole log at once, and the first page as text.
    const headers = { authorization: basicAuth('Viewer') };
    const full = await fetch(`${web.url}${api.path}?full_content=true`, { headers: { ...headers, accept: 'application/json' } });
    expect(((await full.json()) as { content: string }).content).toBe(written);
    const text = await (await fetch(`${web.url}${api.path}`, { headers: { ...headers, accept: 'text/plain' } })).text();
    expect(text.length).toBeGreaterThan(0);
    expect(text.endsWith('\n')).toBe(true);
    expect(written.startsWith(text)).toBe(true);
  });

  it('a nats-server restart while the task logs loses and repeats no line', async () => {
    const dagId = 'e2e_log_restart';
    const runId = await stack.trigger(dagId);
    const api = new ApiLogFollower(logPath(dagId, runId, 'through_restart'));
    await api.until('first line 20:');
    const file = await workerFile(dagId, runId);

    await stack.nats.stop({ keepData: true });
    try {
      gate(runId, 'a');
      // Part two is written while NATS is away.
      await waitFor('part two in the worker\'s file', async () => (readFileSync(file, 'utf8').includes('second line 40:') ? true : undefined), { diagnostics });
    } finally {
      await stack.nats.restart();
    }
    gate(runId, 'b');
    const run = await waitForRunEnd(stack.pool, dagId, runId, { diagnostics });
    expect(run.state).toBe('success');
    await api.until(FOOTER);
    const written = readFileSync(file, 'utf8');
    expect(api.content).toBe(written);
    const full = await fetch(`${web.url}${api.path}?full_content=true`, { headers: { authorization: basicAuth('Viewer'), accept: 'application/json' } });
    expect(((await full.json()) as { content: string }).content).toBe(written);
    for (const part of ['first', 'second', 'third']) {
      const n = part === 'second' ? 40 : 20;
      for (let i = 1; i <= n; i++) expect(written.split(`${part} line ${i}:`).length - 1, `${part} line ${i}`).toBe(1);
    }
  });

  it('updraft tasks logs --follow tails a running try until its end and exits 0; without --follow it prints the whole log', async () => {
    const dagId = 'e2e_log_lines';
    const runId = await stack.trigger(dagId);
    const api = new ApiLogFollower(logPath(dagId, runId, 'chatty'));
    await api.until('one line 20:');
    const file = await workerFile(dagId, runId);

    // The CLI's log folder is not the worker's (stack.env names the scheduler's folder).
    const child = spawn(process.execPath, [CLI_ENTRY, 'tasks', 'logs', dagId, runId, 'chatty', '--follow'], {
      cwd: stack.dir, env: { ...process.env, ...stack.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      // It printed part one and is still following (the task waits for its gate).
      await waitFor('the follower to print part one', async () => (stdout.includes('one line 20:') ? true : undefined), {
        diagnostics: () => `${stderr}\n${diagnostics()}`,
      });
      expect(stdout).not.toContain('[stdout] two line');
      gate(runId, 'more');
      const code = await exited;
      expect(code, stderr).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const run = await waitForRunEnd(stack.pool, dagId, runId, { diagnostics });
    expect(run.state).toBe('success');
    const written = readFileSync(file, 'utf8');
    expect(stdout).toBe(written);

    const whole = await stack.cli(['tasks', 'logs', dagId, runId, 'chatty']);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toBe(written);
    const first = await stack.cli(['tasks', 'logs', dagId, runId, 'chatty', '--try', '1']);
    expect(first.stdout).toBe(written);
  });

  // Last: it kills the stack's worker.
  it('updraft tasks logs --follow of a try whose worker was killed ends with the end the scheduler recorded', async () => {
    const dagId = 'e2e_log_lines';
    const runId = await stack.trigger(dagId);
    const api = new ApiLogFollower(logPath(dagId, runId, 'chatty'));
    await api.until('one line 20:');
    const child = spawn(process.execPath, [CLI_ENTRY, 'tasks', 'logs', dagId, runId, 'chatty', '--follow'], {
      cwd: stack.dir, env: { ...process.env, ...stack.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor('the follower to print part one', async () => (stdout.includes('one line 20:') ? true : undefined), {
        diagnostics: () => `${stderr}\n${diagnostics()}`,
      });
      stack.workers[0]!.kill();
      const run = await waitForRunEnd(stack.pool, dagId, runId, { diagnostics });
      expect(run.state).toBe('failed');
      const code = await exited;
      expect(code, stderr).toBe(0);
    } finally {
      child.kill('SIGKILL');
      // The task's own process outlived its worker, waiting for its gate: let it end.
      gate(runId, 'more');
    }
    expect(stdout.startsWith(api.content)).toBe(true);
    expect(stdout).toContain('[scheduler] task failed (recorded by the scheduler; the worker did not finish this log)');
    expect(stdout).not.toContain(FOOTER);
  });
});
