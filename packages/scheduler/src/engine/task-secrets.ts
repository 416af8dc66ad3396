/**
 * Connections and variables for running tasks: task-scoped reads (GetConnection, GetVariable),
 * answered only while the asking attempt is running with its try number and token, and the
 * `conn.*` / `var.*` values of the templates a claimed task renders. Workers never read the
 * database; they ask here, and are told which values to mask in the task's log.
 */
import {
  attemptsSql,
  connectionMaskValues,
  connEnvName,
  keyText,
  noSecretRefs,
  readConnections,
  readVariables,
  resolveTemplateSecrets,
  taskTemplatesOf,
  templateSecretRefs,
  UpdraftError,
  varEnvName,
  variableMaskValues,
  type AttemptRef,
  type Queryable,
  type SecretsContext,
  type TemplateSecrets,
} from '@updraft/core';
import type { SerializedTask } from '@updraft/sdk';
import type { ConnectionAnswer, TaskScopedRead, VariableAnswer } from '../worker-facing.js';

export class TaskSecrets {
  constructor(private readonly db: Queryable, private readonly secrets: SecretsContext) {}

  async connection(req: TaskScopedRead): Promise<ConnectionAnswer> {
    await this.requireRunning(req.attempt, `connection '${req.name}'`);
    const c = (await readConnections(this.db, this.secrets, [req.name])).get(req.name);
    if (c === undefined) {
      throw new UpdraftError('CONNECTION_NOT_FOUND', `connection '${req.name}' is not defined (neither ${connEnvName(req.name)} on the scheduler nor in the database)`);
    }
    const { source: _source, ...connection } = c;
    return { connection, mask: connectionMaskValues(connection, this.secrets.sensitiveNames) };
  }

  async variable(req: TaskScopedRead): Promise<VariableAnswer> {
    await this.requireRunning(req.attempt, `variable '${req.name}'`);
    const v = (await readVariables(this.db, this.secrets, [req.name])).get(req.name);
    if (v === undefined) {
      throw new UpdraftError('VARIABLE_NOT_FOUND', `variable '${req.name}' is not defined (neither ${varEnvName(req.name)} on the scheduler nor in the database)`);
    }
    return { value: v.value, mask: variableMaskValues(req.name, v.value, this.secrets.sensitiveNames) };
  }

  /** The `conn.*` / `var.*` template values `task` names, or undefined when it names none. */
  async forTemplates(task: SerializedTask): Promise<TemplateSecrets | undefined> {
    const refs = templateSecretRefs(taskTemplatesOf(task));
    return noSecretRefs(refs) ? undefined : resolveTemplateSecrets(this.db, this.secrets, refs);
  }

  private async requireRunning(attempt: AttemptRef, what: string): Promise<void> {
    const [running] = await attemptsSql.areRunning(this.db, [attempt]);
    if (!running) {
      throw new UpdraftError('STALE_ATTEMPT',
        `${what} refused: ${keyText(attempt)} try ${attempt.tryNumber} is not running with that attempt token (only a running attempt may read connections and variables)`);
    }
  }
}
