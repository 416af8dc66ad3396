/** The secrets routes (connections, variables) need the webserver's secrets settings; without them they answer 503. */
import type { SecretsContext } from '@updraft/core';
import type { RouteContext } from '../api-types.js';
import { HttpProblem } from '../http/problem.js';

export function requireSecrets(ctx: RouteContext): SecretsContext {
  if (ctx.secrets === undefined) throw new HttpProblem(503, 'connections and variables are not available: this webserver was started without its security settings');
  return ctx.secrets;
}

/** The same settings with no environment: the API reads and writes what the database holds, as Airflow's. */
export function databaseOnly(s: SecretsContext): SecretsContext {
  return { ...s, env: {} };
}
