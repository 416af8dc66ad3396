import { assetTargets } from './asset.js';
import { TASK_CALLBACK_EVENTS, validateCallbacks } from './callbacks.js';
import { parseDuration } from './duration.js';
import { DagDefinitionError } from './errors.js';
import { identifierProblem, identifierRule, quoteIdentifier, type IdentifierKind } from './ids.js';
import type { TaskArgs, TaskSettings } from './options.js';
import type { TriggerRule, WeightRule } from './serialized.js';

export const TRIGGER_RULES: readonly TriggerRule[] = [
  'all_success',
  'all_failed',
  'all_done',
  'all_skipped',
  'one_success',
  'one_failed',
  'one_done',
  'none_failed',
  'none_failed_min_one_success',
  'none_skipped',
  'always',
  'all_done_min_one_success',
  'all_done_setup_success',
];

export const WEIGHT_RULES: readonly WeightRule[] = ['downstream', 'upstream', 'absolute'];

const SETTING_KEYS: ReadonlySet<string> = new Set([
  'retries',
  'retryDelay',
  'retryExponentialBackoff',
  'maxRetryDelay',
  'executionTimeout',
  'queue',
  'pool',
  'poolSlots',
  'maxActiveTisPerDag',
  'maxActiveTisPerDagrun',
  'priorityWeight',
  'weightRule',
  'triggerRule',
  'dependsOnPast',
  'waitForDownstream',
  'onExecute',
  'onSuccess',
  'onRetry',
  'onFailure',
  'owner',
  'umask',
  'runAsUser',
  'runAsGroup',
]);

/** Keys accepted in a task's own options: the settings plus `doc`, and the kind's extras. */
export function taskArgKeys(extra: readonly string[]): ReadonlySet<string> {
  return new Set([...SETTING_KEYS, 'doc', 'outlets', 'mapIndexTemplate', ...extra]);
}
export const DEFAULT_ARG_KEYS = SETTING_KEYS;

/** Rejects keys not in `allowed` (a typo in a JavaScript DAG file would otherwise be silently ignored). */
export function assertKnownKeys(value: object, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      throw new DagDefinitionError('invalid', `${where}: unknown option '${key}' (known: ${[...allowed].join(', ')})`);
    }
  }
}

function fail(where: string, message: string): never {
  throw new DagDefinitionError('invalid', `${where}: ${message}`);
}

/** Queues and pools are identifiers: a queue becomes a NATS subject token, both appear in paths and URLs. */
function identifier(v: unknown, where: string, key: string, kind: IdentifierKind): void {
  const problem = identifierProblem(kind, v);
  if (problem !== undefined) fail(where, `${key} ${quoteIdentifier(v)} is not valid: ${problem}; ${identifierRule(kind)}`);
}

function nonEmptyString(v: unknown, where: string, key: string): void {
  if (typeof v !== 'string' || v.trim().length === 0) fail(where, `${key} must be a non-empty string`);
}

function userOrGroup(v: unknown, where: string, key: string): void {
  if (typeof v === 'number' ? !Number.isInteger(v) || v < 0 : typeof v !== 'string' || v.length === 0) {
    fail(where, `${key} must be a name or a numeric id >= 0`);
  }
}

/** Validates task settings (from a task's options or `defaultArgs`); `where` starts the error message. */
export function validateTaskSettings(s: TaskSettings & Pick<TaskArgs, 'doc' | 'outlets' | 'mapIndexTemplate'>, where: string): void {
  if (s.retries !== undefined && (!Number.isInteger(s.retries) || s.retries < 0)) {
    fail(where, `retries must be an integer >= 0, got ${String(s.retries)}`);
  }
  if (s.retryDelay !== undefined) parseDuration(s.retryDelay, `${where}: retryDelay`);
  if (s.maxRetryDelay !== undefined) parseDuration(s.maxRetryDelay, `${where}: maxRetryDelay`);
  if (s.executionTimeout !== undefined) {
    if (parseDuration(s.executionTimeout, `${where}: executionTimeout`) <= 0) fail(where, 'executionTimeout must be > 0');
  }
  if (s.retryExponentialBackoff !== undefined && typeof s.retryExponentialBackoff !== 'boolean') {
    fail(where, 'retryExponentialBackoff must be true or false');
  }
  if (s.queue !== undefined) identifier(s.queue, where, 'queue', 'queue');
  if (s.pool !== undefined) identifier(s.pool, where, 'pool', 'pool');
  if (s.owner !== undefined) nonEmptyString(s.owner, where, 'owner');
  if (s.priorityWeight !== undefined && !Number.isInteger(s.priorityWeight)) {
    fail(where, `priorityWeight must be an integer, got ${String(s.priorityWeight)}`);
  }
  for (const key of ['poolSlots', 'maxActiveTisPerDag', 'maxActiveTisPerDagrun'] as const) {
    if (s[key] !== undefined && (!Number.isInteger(s[key]) || s[key] < 1)) fail(where, `${key} must be an integer >= 1, got ${String(s[key])}`);
  }
  if (s.weightRule !== undefined && !WEIGHT_RULES.includes(s.weightRule)) {
    fail(where, `unknown weightRule '${String(s.weightRule)}' (one of: ${WEIGHT_RULES.join(', ')})`);
  }
  if (s.triggerRule !== undefined && !TRIGGER_RULES.includes(s.triggerRule)) {
    fail(where, `unknown triggerRule '${String(s.triggerRule)}' (one of: ${TRIGGER_RULES.join(', ')})`);
  }
  validateCallbacks(s, TASK_CALLBACK_EVENTS, where);
  for (const key of ['dependsOnPast', 'waitForDownstream'] as const) {
    if (s[key] !== undefined && typeof s[key] !== 'boolean') fail(where, `${key} must be true or false`);
  }
  if (s.umask !== undefined && (typeof s.umask !== 'string' || !/^0?[0-7]{3}$/.test(s.umask))) {
    fail(where, `umask must be an octal string like '0022', got ${String(s.umask)}`);
  }
  if (s.runAsUser !== undefined) userOrGroup(s.runAsUser, where, 'runAsUser');
  if (s.runAsGroup !== undefined) userOrGroup(s.runAsGroup, where, 'runAsGroup');
  if (s.doc !== undefined && typeof s.doc !== 'string') fail(where, 'doc must be a string');
  if (s.mapIndexTemplate !== undefined && (typeof s.mapIndexTemplate !== 'string' || s.mapIndexTemplate.trim() === '' || s.mapIndexTemplate.length > 1000)) {
    fail(where, `mapIndexTemplate must be a non-empty string of at most 1000 characters, got ${JSON.stringify(s.mapIndexTemplate)?.slice(0, 60)}`);
  }
  if (s.outlets !== undefined) assetTargets(s.outlets, `${where}: outlets`);
}
