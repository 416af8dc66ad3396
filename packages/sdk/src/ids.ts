/**
 * Identifiers: the one grammar of every id and name that Updraft stores, puts in a message subject
 * or builds a file path from (docs/identifiers.md). DAG files see it through `dag()` and the task
 * factories; the CLI, the scheduler's gRPC service and the webserver check the same rules through
 * `@updraft/core` (`assertIdentifier`), so what one accepts the others accept too.
 *
 *   kind          characters                               length
 *   dag id        A-Z a-z 0-9 _ . -                        1-250
 *   task id       A-Z a-z 0-9 _ . -                        1-250
 *   run id        A-Z a-z 0-9 _ . - ~ : +                  1-250
 *   worker name   A-Z a-z 0-9 _ . -                        1-250
 *   pool          A-Z a-z 0-9 _ . -                        1-250
 *   connection id A-Z a-z 0-9 _ . -                        1-250
 *   variable key  A-Z a-z 0-9 _ . -                        1-250
 *   queue         A-Z a-z 0-9 _ -     (a NATS subject token: no '.')   1-64
 *
 * Every kind starts with a letter, a digit or '_', so an id is never '.', '..', a hidden file or
 * an option-looking '-x', and no id can contain '/', '\', whitespace, control characters or NUL:
 * a path built from ids stays inside its folder.
 */
import { DagDefinitionError } from './errors.js';

export type IdentifierKind = 'dag id' | 'task id' | 'run id' | 'worker name' | 'pool' | 'connection id' | 'variable key' | 'queue';

export interface IdentifierRule {
  /** The whole grammar: anchored, length included. */
  readonly pattern: RegExp;
  readonly maxLength: number;
  /** One allowed character. */
  readonly char: RegExp;
  /** Allowed characters, as people read them. */
  readonly characters: string;
}

/** Longest dag id, task id, run id, worker name or pool name. */
export const IDENTIFIER_MAX_LENGTH = 250;
/** Longest queue name (it is also part of a NATS consumer name). */
export const QUEUE_NAME_MAX_LENGTH = 64;

const NAME: IdentifierRule = {
  pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,249}$/,
  maxLength: IDENTIFIER_MAX_LENGTH,
  char: /^[A-Za-z0-9_.-]$/,
  characters: "letters, digits, '_', '.' and '-'",
};

export const IDENTIFIER_RULES: Readonly<Record<IdentifierKind, IdentifierRule>> = {
  'dag id': NAME,
  'task id': NAME,
  'worker name': NAME,
  pool: NAME,
  'connection id': NAME,
  'variable key': NAME,
  // Airflow's run ids: manual__2024-01-01T00:00:00+00:00, and '~' as Airflow allows.
  'run id': {
    pattern: /^[A-Za-z0-9_][A-Za-z0-9_.~:+-]{0,249}$/,
    maxLength: IDENTIFIER_MAX_LENGTH,
    char: /^[A-Za-z0-9_.~:+-]$/,
    characters: "letters, digits, '_', '.', '-', '~', ':' and '+'",
  },
  queue: {
    pattern: /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/,
    maxLength: QUEUE_NAME_MAX_LENGTH,
    char: /^[A-Za-z0-9_-]$/,
    characters: "letters, digits, '_' and '-'",
  },
};

/** Compatibility name: the grammar of dag ids and task ids. */
export const ID_PATTERN = NAME.pattern;

/** The rule of `kind` in one sentence, e.g. for `--help` and error messages. */
export function identifierRule(kind: IdentifierKind): string {
  const r = IDENTIFIER_RULES[kind];
  return `a ${kind} is 1-${r.maxLength} characters: ${r.characters}, starting with a letter, a digit or '_'`;
}

/** How a character is shown in a message: 'a', or its escape and code point for invisible ones. */
function showChar(c: string): string {
  const code = c.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const visible = code > 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0x9f) && c.trim() !== '';
  return visible ? `'${c}' (${hex})` : `${JSON.stringify(c)} (${hex})`;
}

/**
 * What is wrong with `value` as a `kind` ("it is empty", "it is 300 characters long (at most
 * 250)", "it contains '/' (U+002F) at position 4", "it starts with '.' (U+002E)"), or undefined
 * when it is valid. Messages add the rule itself: `identifierRule(kind)`.
 */
export function identifierProblem(kind: IdentifierKind, value: unknown): string | undefined {
  const r = IDENTIFIER_RULES[kind];
  if (typeof value !== 'string') return 'it must be a string';
  if (r.pattern.test(value)) return undefined;
  if (value.length === 0) return 'it is empty';
  if (value.length > r.maxLength) return `it is ${value.length} characters long (at most ${r.maxLength})`;
  for (let i = 0; i < value.length; ) {
    const c = String.fromCodePoint(value.codePointAt(i)!);
    if (!r.char.test(c)) return `it contains ${showChar(c)} at position ${i + 1}`;
    i += c.length;
  }
  return `it starts with ${showChar(value[0]!)}`;
}

/** Quoted for a message: JSON-escaped and cut to `max` characters (ids can arrive huge). */
export function quoteIdentifier(value: unknown, max = 80): string {
  if (typeof value !== 'string') return String(value);
  const cut = value.length > max ? `${value.slice(0, max)}...` : value;
  const quoted = JSON.stringify(cut).slice(1, -1).replaceAll("'", "\\'");
  return `'${quoted}'${value.length > max ? ` (${value.length} characters)` : ''}`;
}

/** For DAG definitions: throws DagDefinitionError('invalid') naming the id, what is wrong and the rule. */
export function assertValidId(what: 'dag id' | 'task id', value: unknown, dagId?: string): asserts value is string {
  const problem = identifierProblem(what, value);
  if (problem === undefined) return;
  const where = dagId === undefined ? '' : `dag '${dagId}': `;
  throw new DagDefinitionError('invalid', `${where}invalid ${what} ${quoteIdentifier(value)}: ${problem}; ${identifierRule(what)}`, dagId === undefined ? {} : { dagId });
}
