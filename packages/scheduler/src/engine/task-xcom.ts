/**
 * XCom for running tasks: GetXCom / PushXCom (answered only while the asking attempt is running
 * with its try number and token, like connections and variables), the values a claimed task's
 * templates read (`ti.xcom_pull(...)`), and the size rule of core.max_xcom_size. Workers never
 * read the database; they ask here.
 */
import {
  attemptsSql,
  keyText,
  templateXComValues,
  UpdraftError,
  xcomSql,
  type AttemptRef,
  type Queryable,
  type TaskInstanceKey,
} from '@updraft/core';
import type { XComAnswer, XComRead, XComWrite } from '../worker-facing.js';
import type { DagCache } from './dag-cache.js';
import type { RunCache } from './run-cache.js';

/** Why a value cannot be stored, or undefined when it can (JSON text measured in UTF-8 bytes). */
export function xcomSizeProblem(valueJson: string, maxBytes: number, what: string): string | undefined {
  const bytes = Buffer.byteLength(valueJson, 'utf8');
  return bytes > maxBytes ? `${what} is ${bytes} bytes of JSON, over core.max_xcom_size (${maxBytes} bytes)` : undefined;
}

export class TaskXCom {
  constructor(
    private readonly db: Queryable,
    private readonly dags: DagCache,
    private readonly runs: RunCache,
    readonly maxBytes: number,
  ) {}

  async get(req: XComRead): Promise<XComAnswer> {
    await this.requireRunning(req.attempt, `XCom of task '${req.taskId}'`);
    await this.requireTask(req.attempt, req.taskId);
    const [value] = await xcomSql.pullXComs(this.db, [{
      dagId: req.attempt.dagId, runId: req.attempt.runId, taskId: req.taskId, key: req.key, mapIndex: req.mapIndex,
    }]);
    return value === null || value === undefined ? { found: false, valueJson: '' } : { found: true, valueJson: value };
  }

  async push(req: XComWrite): Promise<void> {
    await this.requireRunning(req.attempt, `XCom push '${req.key}'`);
    const problem = xcomSizeProblem(req.valueJson, this.maxBytes, `the value of XCom '${req.key}'`);
    if (problem !== undefined) throw new UpdraftError('INVALID_ARGUMENT', problem);
    const { dagId, runId, taskId, mapIndex } = req.attempt;
    await xcomSql.pushXComs(this.db, [{ dagId, runId, taskId, mapIndex, key: req.key, valueJson: req.valueJson }]);
  }

  /**
   * The values `templates` read with ti.xcom_pull(), for rendering (JSON text by xcomRefText, null
   * for none). INVALID_ARGUMENT naming `where` for a call that names no literal task id.
   */
  forTemplates(key: TaskInstanceKey, templates: readonly string[], where: string): Promise<Map<string, string | null>> {
    return templateXComValues(this.db, key, templates, where);
  }

  private async requireTask(attempt: AttemptRef, taskId: string): Promise<void> {
    const run = await this.runs.get(attempt.dagId, attempt.runId);
    if (run === null) throw new UpdraftError('RUN_NOT_FOUND', `DAG '${attempt.dagId}' has no run '${attempt.runId}'`);
    const compiled = this.dags.cached(run.dagHash) ?? await this.dags.forRun(attempt.dagId, run.dagHash);
    if (!compiled.tasks.has(taskId)) {
      throw new UpdraftError('TASK_NOT_FOUND',
        `xcom pull: DAG '${attempt.dagId}' has no task '${taskId}' (its tasks: ${[...compiled.tasks.keys()].join(', ')})`);
    }
  }

  private async requireRunning(attempt: AttemptRef, what: string): Promise<void> {
    const [running] = await attemptsSql.areRunning(this.db, [attempt]);
    if (!running) {
      throw new UpdraftError('STALE_ATTEMPT',
        `${what} refused: ${keyText(attempt)} try ${attempt.tryNumber} is not running with that attempt token (only a running attempt may read or push XCom)`);
    }
  }
}
