/**
 * One delivered task message, from claim to ack:
 *
 *   ClaimTask ── FAILED_PRECONDITION / NOT_FOUND / INVALID_ARGUMENT (/ too large) ──> ack, run nothing
 *       │   └─── UNAVAILABLE or any other failure ──────────────────> nak(delay): redelivered later
 *       ▼ OK
 *   run the task (delivery.working() keeps the message ours meanwhile)
 *       ▼
 *   ReportTaskResult ── retryable failure ──> retry with backoff, never drop the result
 *       │   └── FAILED_PRECONDITION / NOT_FOUND ──> result discarded (the attempt was ended elsewhere)
 *       ▼
 *   ack (only now: a crash before this point leaves the message to be redelivered)
 *
 * Chain fast path: the report may offer this attempt's slot (HandoffOffer); the answer may then
 * carry a downstream task already claimed for this worker (`handedOff`), which the worker runs
 * next in the same slot as an Attempt with no broker message (handedOffDelivery) and its claim.
 */
import { GrpcStatus, isRetryableRpcError, isUpdraftRpcError, jsonHasNul, proto, RPC_LIMITS, sleep, truncate, taskLogRelativePath, taskMessageId, UpdraftError, type Delivery, type Logger, type TaskMessage, type WorkerServiceRpcClient } from '@updraft/core';
import { traceMark } from '@updraft/core/trace-marks';
import { connectionOfProto, executionSpecOf, runnableTaskOfClaim, type QueueOverride } from './claim-spec.js';
import type { DagFileCache } from './dag-cache.js';
import type { TaskExecutor } from './executor/executor.js';
import { SecretsMasker } from './executor/secrets-masker.js';
import type { ExecutionResult, RunningExecution, TaskSecretAccess, TaskXComAccess } from './executor/types.js';
import { appendLogLine, resolveLogFile } from './logs.js';
import type { WorkerEvent } from './events.js';
import type { LogShipping } from './logs/shipping.js';
import type { FinishedLog, RemoteLogUploader } from './logs/remote-upload.js';

const OUTCOMES: Record<ExecutionResult['outcome'], proto.TaskOutcome> = {
  success: proto.TaskOutcome.TASK_OUTCOME_SUCCESS,
  failed: proto.TaskOutcome.TASK_OUTCOME_FAILED,
  skipped: proto.TaskOutcome.TASK_OUTCOME_SKIPPED,
  reschedule: proto.TaskOutcome.TASK_OUTCOME_RESCHEDULE,
};

export interface AttemptDeps {
  client: Pick<WorkerServiceRpcClient, 'claimTask' | 'reportTaskResult' | 'getConnection' | 'getVariable' | 'getXCom' | 'pushXCom'>;
  executor: TaskExecutor;
  dagCache: DagFileCache;
  logFolder: string;
  /** Ships each try's log to the task-log stream as it is written. Default: none (local files only). */
  logShipping?: LogShipping;
  /** Uploads finished tries' logs to logging.remote_base_log_folder; undefined: logs stay local. */
  remoteLogs?: RemoteLogUploader;
  hostname: string;
  workerId: () => string;
  queueOverrides: Record<string, QueueOverride>;
  workingIntervalMs: number;
  claimRetryDelayMs: number;
  reportRetryInitialMs: number;
  reportRetryMaxMs: number;
  /** Aborted at the end of a forced shutdown: a report still failing is then given up (not acked). */
  abandon: AbortSignal;
  logger: Logger;
  emit: (event: WorkerEvent) => void;
  /** The offer a report makes of the slot it frees (undefined: none, e.g. draining or paused). */
  handoffOffer?: () => proto.HandoffOffer | undefined;
}

/** The "delivery" of a task handed off in a report's answer: there is no broker message to ack. */
export function handedOffDelivery(t: proto.HandedOffTask): Delivery | undefined {
  const m = t.message;
  if (m?.key === undefined || t.claim === undefined) return undefined;
  return {
    message: { key: m.key, tryNumber: m.tryNumber, attemptToken: m.attemptToken, queue: m.queue, priorityWeight: m.priorityWeight },
    deliveryCount: 1,
    ack: () => Promise.resolve(),
    nak: () => undefined,
    working: () => undefined,
  };
}

/** How an attempt ended for the worker. */
export type AttemptEnd =
  | 'refused' // claim refused: acked, nothing ran
  | 'requeued' // claim failed: nak'ed for redelivery
  | 'reported' // result accepted, acked
  | 'discarded' // result refused as stale, acked
  | 'abandoned'; // result could not be reported before shutdown; message left unacked

type ReportEnd = 'reported' | 'discarded' | 'abandoned';

export class Attempt {
  readonly id: string;
  readonly message: TaskMessage;
  private execution: RunningExecution | undefined;
  /** This try's log, once the try has started writing it (uploaded after the report). */
  private finishedLog: FinishedLog | undefined;
  private killReason: string | undefined;
  /** Claimed and its result not yet settled: the part of its life the heartbeat vouches for. */
  private inFlight = false;
  /** A downstream task the report's answer handed to this worker (claimed for it): run it next. */
  handedOff: proto.HandedOffTask | undefined;

  constructor(
    private readonly delivery: Delivery,
    private readonly deps: AttemptDeps,
  ) {
    this.message = delivery.message;
    this.id = delivery.message.key ? taskMessageId(delivery.message) : '(no key)';
  }

  /** True from a successful claim until its result is settled (heartbeats list only these). */
  get claimed(): boolean {
    return this.inFlight;
  }

  /** What the heartbeat reports for this attempt. */
  running(): proto.RunningAttempt {
    return proto.RunningAttempt.fromPartial({
      key: this.message.key,
      tryNumber: this.message.tryNumber,
      attemptToken: this.message.attemptToken,
      pid: this.execution?.pid ?? 0,
    });
  }

  /** True when this is the attempt `ra` names (same task instance, try and token). */
  matches(ra: proto.RunningAttempt): boolean {
    return ra.key !== undefined && ra.attemptToken === this.message.attemptToken && ra.tryNumber === this.message.tryNumber &&
      taskMessageId({ ...this.message, key: ra.key }) === this.id;
  }

  /** Kills the task (if running or about to run); its result is still reported. */
  kill(reason: string): void {
    this.killReason ??= reason;
    this.execution?.kill(reason);
  }

  /** Claims (unless `claimed`: a handed-off task, claimed by the scheduler for this worker), runs, reports, acks. */
  async run(claimed?: proto.ClaimTaskResponse): Promise<AttemptEnd> {
    const m = this.message;
    if (!m.key) {
      this.deps.logger.error({ message: m }, 'task message without a task instance key: dropped');
      await this.ack();
      return 'refused';
    }
    let claim: proto.ClaimTaskResponse;
    try {
      claim = claimed ?? await this.deps.client.claimTask({
        workerId: this.deps.workerId(),
        key: m.key,
        tryNumber: m.tryNumber,
        attemptToken: m.attemptToken,
        hostname: this.deps.hostname,
      });
    } catch (err) {
      return this.claimFailed(err);
    }
    const ticker = setInterval(() => this.delivery.working(), this.deps.workingIntervalMs);
    this.inFlight = true;
    try {
      const result = await this.execute(claim);
      // Still listed in heartbeats until the report is settled: a report delayed by an outage
      // must not turn the finished attempt into a zombie that runs again.
      const end = await this.report(result);
      this.inFlight = false;
      if (this.finishedLog && end !== 'abandoned') this.deps.remoteLogs?.upload(this.finishedLog);
      this.deps.emit({ type: 'task-finished', message: m, result, report: end });
      if (end !== 'abandoned') await this.ack();
      return end;
    } finally {
      this.inFlight = false;
      clearInterval(ticker);
    }
  }

  private async claimFailed(err: unknown): Promise<AttemptEnd> {
    const refused =
      isUpdraftRpcError(err, GrpcStatus.FAILED_PRECONDITION) ||
      isUpdraftRpcError(err, GrpcStatus.NOT_FOUND) ||
      isUpdraftRpcError(err, GrpcStatus.INVALID_ARGUMENT) ||
      isUpdraftRpcError(err, GrpcStatus.RESOURCE_EXHAUSTED);
    const reason = err instanceof Error ? err.message : String(err);
    if (refused) {
      this.deps.logger.info({ attempt: this.id, reason }, 'claim refused: message dropped, nothing run');
      this.deps.emit({ type: 'claim-refused', message: this.message, reason });
      await this.ack();
      return 'refused';
    }
    this.deps.logger.warn({ attempt: this.id, reason }, 'claim failed: message handed back for redelivery');
    this.delivery.nak(this.deps.claimRetryDelayMs);
    return 'requeued';
  }

  private async execute(claim: proto.ClaimTaskResponse): Promise<ExecutionResult> {
    const t0 = performance.now();
    const m = this.message;
    traceMark('worker.start', m.key);
    const failed = (error: string): ExecutionResult => ({
      outcome: 'failed', exitCode: -1, error, durationMs: performance.now() - t0, returnValueJson: '', timedOut: false,
    });
    let logFile: string;
    let relativePath: string;
    try {
      relativePath = claim.logPath || taskLogRelativePath(m.key, m.tryNumber);
      logFile = resolveLogFile(this.deps.logFolder, relativePath);
    } catch (err) {
      return failed((err as Error).message);
    }
    let release: (() => void) | undefined;
    try {
      const task = runnableTaskOfClaim(m, claim);
      const ref = task.spec.dagFile;
      const needsFile = task.spec.kind === 'function';
      if (needsFile && !ref.fileHash) return failed('ClaimTaskResponse.spec.dag_file is missing for a function task');
      // What happens before the task process starts (a dependency install) goes to its log first.
      const opened = needsFile ? await this.deps.dagCache.open(ref, (line) => appendLogLine(logFile, 'updraft', line)) : undefined;
      release = opened?.release;
      const dagFilePath = opened?.path;
      const spec = executionSpecOf(task.spec, this.deps.queueOverrides[m.queue], dagFilePath);
      const { context } = task;
      const masker = new SecretsMasker();
      masker.add(task.mask);
      const logSink = this.deps.logShipping?.open(m.key!, m.tryNumber, logFile);
      this.finishedLog = { relativePath, file: logFile, ...(logSink ? { shipped: logSink.finished } : {}) };
      this.deps.remoteLogs?.refresh(async (connId) => {
        const r = await this.deps.client.getConnection({ ...this.attemptRef(), connId });
        return connectionOfProto(r.connection);
      });
      this.execution = this.deps.executor.start({
        spec,
        context,
        logFile,
        ...(logSink ? { logSink } : {}),
        masker,
        secrets: this.secretAccess(),
        xcom: this.xcomAccess(),
        onStart: (pid) => this.deps.emit({ type: 'task-started', message: m, pid }),
      });
      if (this.killReason !== undefined) this.execution.kill(this.killReason);
      return await this.execution.result;
    } catch (err) {
      return failed((err as Error).message);
    } finally {
      release?.();
    }
  }

  /**
   * ctx.connection() / ctx.variable() of this attempt: asked of the scheduler with the attempt's
   * try and token (the executor masks what the answer says before the task gets the value).
   */
  private attemptRef(): { workerId: string; key: proto.TaskInstanceKey; tryNumber: number; attemptToken: string } {
    const m = this.message;
    return { workerId: this.deps.workerId(), key: m.key!, tryNumber: m.tryNumber, attemptToken: m.attemptToken };
  }

  private secretAccess(): TaskSecretAccess {
    const attempt = () => this.attemptRef();
    return {
      connection: async (connId) => {
        const r = await this.ask(() => this.deps.client.getConnection({ ...attempt(), connId }));
        return { connection: connectionOfProto(r.connection), mask: r.mask };
      },
      variable: (variableKey) => this.ask(() => this.deps.client.getVariable({ ...attempt(), variableKey })),
    };
  }

  /** ctx.xcom of this attempt: asked of the scheduler with the attempt's try and token. */
  private xcomAccess(): TaskXComAccess {
    const m = this.message;
    const attempt = { key: m.key!, tryNumber: m.tryNumber, attemptToken: m.attemptToken };
    return {
      pull: (taskId, xcomKey, mapIndex) => this.ask(() => this.deps.client.getXCom({
        ...attempt, workerId: this.deps.workerId(), taskId, xcomKey, ...(mapIndex === null ? {} : { mapIndex }),
      })),
      push: async (xcomKey, valueJson) => {
        await this.ask(() => this.deps.client.pushXCom({ ...attempt, workerId: this.deps.workerId(), xcomKey, valueJson }));
      },
    };
  }

  /** A task-scoped call, retried a few times through a blip (the task waits); its error as the task sees it. */
  private async ask<T>(call: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await call();
      } catch (err) {
        if (isRetryableRpcError(err) && i < 3 && !this.deps.abandon.aborted) {
          await sleep(250 * 4 ** i, this.deps.abandon);
          continue;
        }
        if (!isUpdraftRpcError(err)) throw err;
        // "getConnection: NOT_FOUND: connection 'x' is not defined" -> what the scheduler said.
        throw new UpdraftError(err.code, err.message.replace(/^\w+: [A-Z_]+: /, ''), { cause: err });
      }
    }
  }

  private async report(result: ExecutionResult): Promise<ReportEnd> {
    const m = this.message;
    const r = withinReportLimits(result);
    const req: proto.ReportTaskResultRequest = {
      workerId: this.deps.workerId(),
      key: m.key,
      tryNumber: m.tryNumber,
      attemptToken: m.attemptToken,
      outcome: OUTCOMES[r.outcome],
      exitCode: r.exitCode,
      error: r.error,
      durationMs: r.durationMs,
      returnValueJson: r.returnValueJson,
      timedOut: r.timedOut,
      pid: this.execution?.pid ?? 0,
      handoff: undefined,
      noRetry: r.noRetry === true,
      outletExtrasJson: r.outcome === 'success' ? r.outletExtrasJson ?? '' : '',
      outletAliasEventsJson: r.outcome === 'success' ? r.aliasEventsJson ?? '' : '',
    };
    for (let delay = this.deps.reportRetryInitialMs; ; delay = Math.min(delay * 2, this.deps.reportRetryMaxMs)) {
      try {
        req.workerId = this.deps.workerId();
        req.handoff = this.deps.handoffOffer?.();
        traceMark('worker.report', m.key);
        const answer = await this.deps.client.reportTaskResult(req);
        traceMark('worker.answer', m.key);
        this.handedOff = answer.handoff;
        return 'reported';
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        if (isUpdraftRpcError(err, GrpcStatus.FAILED_PRECONDITION) || isUpdraftRpcError(err, GrpcStatus.NOT_FOUND)) {
          this.deps.logger.warn({ attempt: this.id, reason }, 'result refused as stale: discarded');
          return 'discarded';
        }
        if (isUpdraftRpcError(err, GrpcStatus.INVALID_ARGUMENT) || isUpdraftRpcError(err, GrpcStatus.RESOURCE_EXHAUSTED)) {
          // Retrying the same request cannot succeed; the scheduler's supervision ends the attempt.
          this.deps.logger.error({ attempt: this.id, reason }, 'result rejected as malformed: discarded');
          return 'discarded';
        }
        if (this.deps.abandon.aborted) {
          this.deps.logger.error({ attempt: this.id, reason }, 'shutting down: result could not be reported, message left unacked');
          return 'abandoned';
        }
        this.deps.logger.warn({ attempt: this.id, reason, retryInMs: delay }, 'reporting the result failed: retrying');
        await sleep(delay, this.deps.abandon);
      }
    }
  }

  private async ack(): Promise<void> {
    try {
      await this.delivery.ack();
    } catch (err) {
      // The outcome is already in the database; a redelivery is refused at claim.
      this.deps.logger.warn({ attempt: this.id, err }, 'ack failed (a redelivery will be refused at claim)');
    }
  }
}

/**
 * The result as the protocol can carry it (RPC_LIMITS): the error text without NUL characters and
 * cut to its limit; a return value that is too large or holds a NUL (PostgreSQL cannot store it)
 * fails the task with the reason, instead of a report the scheduler would refuse.
 */
export function withinReportLimits(r: ExecutionResult): ExecutionResult {
  let { outcome, error, returnValueJson } = r;
  if (returnValueJson !== '') {
    const why = returnValueJson.length > RPC_LIMITS.returnValueJsonLength
      ? `it is ${returnValueJson.length} characters of JSON (at most ${RPC_LIMITS.returnValueJsonLength})`
      : jsonHasNul(returnValueJson) ? 'it contains a NUL character (\\u0000)' : undefined;
    if (why !== undefined) {
      outcome = 'failed';
      error = `the task's return value cannot be stored: ${why}${error ? `; ${error}` : ''}`;
      returnValueJson = '';
    }
  }
  error = truncate(error.replaceAll('\0', '\uFFFD'), RPC_LIMITS.errorLength - 100);
  return { ...r, outcome, error, returnValueJson };
}
