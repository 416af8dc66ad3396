/**
 * What a function task can ask its worker for while it runs (the runner forwards `ctx.*` calls
 * over IPC, see runner-protocol.ts): one handler per method, built from the services of the task's
 * ExecutionRequest. A method the request has no service for answers with an error the task sees.
 */
import { connectionUri, extraDejson, type Connection } from '@updraft/core';
import type { SecretsMasker } from './secrets-masker.js';
import type { TaskSecretAccess, TaskXComAccess } from './types.js';

export type TaskRequestHandler = (method: string, params: Record<string, unknown>) => Promise<unknown>;

/** A connection as `ctx.connection()` returns it (the SDK's TaskConnection). */
export function taskConnectionOf(c: Connection): Record<string, unknown> {
  return { ...c, extraDejson: extraDejson(c.extra), uri: connectionUri(c) };
}

function nameParam(params: Record<string, unknown>, what: string): string {
  const name = params.name;
  if (typeof name !== 'string' || name === '') throw new Error(`${what} must be a non-empty string`);
  return name;
}

/** What a task's requests are answered from (a missing service: the request fails, saying so). */
export interface TaskServices {
  secrets?: TaskSecretAccess;
  xcom?: TaskXComAccess;
}

/** Secrets are added to `masker` before the task gets them, so whatever it prints is masked. */
export function taskRequestHandler({ secrets, xcom }: TaskServices, masker: SecretsMasker): TaskRequestHandler {
  return async (method, params) => {
    switch (method) {
      case 'connection': {
        if (!secrets) throw new Error('connections are not available here');
        const r = await secrets.connection(nameParam(params, 'connection id'));
        masker.add(r.mask);
        return taskConnectionOf(r.connection);
      }
      case 'variable': {
        if (!secrets) throw new Error('variables are not available here');
        const r = await secrets.variable(nameParam(params, 'variable key'));
        masker.add(r.mask);
        return r.value;
      }
      case 'xcomPull': {
        if (!xcom) throw new Error('XCom is not available here (the task does not run under a worker)');
        const mapIndex = params.mapIndex;
        if (mapIndex !== null && (typeof mapIndex !== 'number' || !Number.isInteger(mapIndex) || mapIndex < 0)) {
          throw new Error('ctx.xcom.pull(): mapIndex must be an integer >= 0');
        }
        const key = typeof params.key === 'string' ? params.key : '';
        return xcom.pull(nameParam({ name: params.taskId }, 'task id'), key, mapIndex);
      }
      case 'xcomPush': {
        if (!xcom) throw new Error('XCom is not available here (the task does not run under a worker)');
        if (typeof params.valueJson !== 'string') throw new Error('ctx.xcom.push(): the value is missing');
        await xcom.push(nameParam({ name: params.key }, 'XCom key'), params.valueJson);
        return null;
      }
      default:
        throw new Error(`unknown request '${method}'`);
    }
  };
}
