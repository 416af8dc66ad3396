/**
 * Runs the callback requests recorded with the state changes (callback_request): claims them in
 * order, builds each one's context (run, task instance and try, error, the last lines of the try's
 * log when this host can read it, a link to the web UI) and runs the DAG file's callback in an
 * isolated process (CallbackProcess). A callback that throws or hangs is logged and recorded; it
 * never changes a task's state or holds up scheduling. Woken when a request is recorded, and by
 * every tick (requests a dead scheduler left behind).
 */
import { isAbsolute, join } from 'node:path';
import { CallbackProcess, callbacksSql, type Logger, type Queryable } from '@updraft/core';
import type { CallbackContext, CallbackEvent } from '@updraft/sdk';
import { logTail, uiLink } from './try-links.js';

export interface CallbackSettings {
  /** The DAGs folder (callbacks are imported from their DAG file there); null: callbacks are not run by this engine. */
  dagsFolder: string | null;
  /** Where try logs are, for the context's logTail; null: no log lines. */
  logFolder: string | null;
  /** Public URL of the web UI, for logUrl (webserver.base_url). */
  baseUrl: string;
  /** A callback that runs longer is killed and recorded failed (scheduler.callback_timeout). */
  timeoutMs: number;
}

/** Claims of one request at most (a request whose scheduler died while running it is run again). */
const MAX_ATTEMPTS = 3;

export class CallbackRunner {
  private readonly process: CallbackProcess;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly db: Queryable, private readonly s: CallbackSettings, private readonly logger: Logger) {
    this.process = new CallbackProcess(s.timeoutMs);
  }

  /** Runs pending requests soon (coalesced: one drain at a time, repeated when woken meanwhile). */
  wake(): void {
    if (this.stopped || this.s.dagsFolder === null) return;
    if (this.draining !== undefined) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Kills a callback in progress: its request stays running and the next scheduler runs it again. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.process.kill();
    await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      // A request a scheduler died on is taken again after twice the timeout.
      for (let batch = await this.claim(); batch.length > 0 && !this.stopped; batch = await this.claim()) {
        for (const request of batch) await this.runOne(request);
      }
    } catch (err) {
      this.logger.error({ err }, 'running callbacks failed; the next tick retries');
    }
  }

  private claim(): Promise<callbacksSql.ClaimedCallback[]> {
    return callbacksSql.claimCallbacks(this.db, 20, 2 * this.s.timeoutMs + 10_000, MAX_ATTEMPTS);
  }

  private async runOne(r: callbacksSql.ClaimedCallback): Promise<void> {
    const what = { dagId: r.dagId, runId: r.runId, taskId: r.taskId ?? undefined, tryNumber: r.taskId === null ? undefined : r.tryNumber, event: r.event };
    let error: string | null;
    let output = '';
    if (r.fileloc === null) {
      error = `DAG '${r.dagId}' is no longer known: its callback cannot be loaded`;
    } else {
      const path = isAbsolute(r.fileloc) ? r.fileloc : join(this.s.dagsFolder!, r.fileloc);
      ({ error, output } = await this.process.run({ path, dagId: r.dagId, taskId: r.taskId, event: r.event as CallbackEvent, context: await this.contextOf(r) }));
    }
    if (this.stopped) return; // killed by stop(): left running, to be run again
    await callbacksSql.endCallback(this.db, r.id, error);
    // What the callback printed goes to this log (it has no task log of its own).
    const printed = output.trimEnd() === '' ? {} : { output: output.trimEnd() };
    if (error === null) this.logger.info({ ...what, ...printed }, 'callback ran');
    else this.logger.warn({ ...what, ...printed, error }, 'callback failed (the task and run states are unchanged)');
  }

  private async contextOf(r: callbacksSql.ClaimedCallback): Promise<CallbackContext> {
    const ctx: CallbackContext = {
      event: r.event as CallbackEvent, dagId: r.dagId, runId: r.runId, logicalDate: r.logicalDate.toISOString(), conf: r.conf,
      exception: r.exception, logTail: [], logUrl: uiLink(this.s.baseUrl, r.dagId, r.runId),
    };
    if (r.taskId === null) return ctx;
    ctx.taskInstance = {
      taskId: r.taskId, mapIndex: r.mapIndex, tryNumber: r.tryNumber, maxTries: r.maxTries,
      state: { onExecute: 'running', onSuccess: 'success', onRetry: 'up_for_retry', onFailure: 'failed' }[r.event] ?? r.tryState ?? 'unknown',
      hostname: r.hostname,
    };
    ctx.logUrl = uiLink(this.s.baseUrl, r.dagId, r.runId, { taskId: r.taskId, tryNumber: r.tryNumber, mapIndex: r.mapIndex });
    if (r.event !== 'onExecute') ctx.logTail = await logTail(this.s.logFolder, r.logPath);
    return ctx;
  }
}
