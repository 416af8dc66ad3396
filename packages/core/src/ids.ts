/**
 * Checks at the door: every id or name that enters Updraft from outside (command line, HTTP API,
 * gRPC) is checked here against the one identifier grammar of `@updraft/sdk` (docs/identifiers.md),
 * and free text against a length limit and NUL (PostgreSQL text cannot hold it). A refusal is
 * INVALID_ARGUMENT naming the field, what is wrong and the rule, with the value escaped and cut
 * short: a 100 KB value never travels back inside an error message.
 */
import { identifierProblem, identifierRule, quoteIdentifier, type IdentifierKind } from '@updraft/sdk';
import { UpdraftError } from './errors.js';

export { IDENTIFIER_MAX_LENGTH, IDENTIFIER_RULES, QUEUE_NAME_MAX_LENGTH, identifierRule, type IdentifierKind } from '@updraft/sdk';

/** True when `value` is a valid `kind`. */
export function isIdentifier(kind: IdentifierKind, value: unknown): value is string {
  return identifierProblem(kind, value) === undefined;
}

/**
 * Returns `value` when it is a valid `kind`; else throws INVALID_ARGUMENT:
 * `run_id 'a/b' is not a valid run id: it contains '/' (U+002F) at position 2; a run id is 1-250
 * characters: ...`.
 * `field` is how the caller's input names it (an option, a parameter, a protobuf field).
 */
export function assertIdentifier(kind: IdentifierKind, value: unknown, field: string = kind): string {
  const problem = identifierProblem(kind, value);
  if (problem === undefined) return value as string;
  throw new UpdraftError('INVALID_ARGUMENT', `${field} ${quoteIdentifier(value)} is not a valid ${kind}: ${problem}; ${identifierRule(kind)}`);
}

export interface TextLimit {
  /** Longest accepted value, in characters. */
  maxLength: number;
  /** Default false: an empty (or blank) value is refused. */
  allowEmpty?: boolean;
  /** Default false: when true, control characters (tab, newline, ESC, U+0080-U+009F) are refused too (a hostname, a version). */
  singleLine?: boolean;
}

/**
 * Free text (a hostname, an error message, a version): at most `maxLength` characters and no NUL
 * (with `singleLine`, no control character at all).
 * Returns the value, or throws INVALID_ARGUMENT naming `field` and the rule.
 */
export function assertText(value: unknown, field: string, limit: TextLimit): string {
  const fail = (why: string): never => {
    throw new UpdraftError('INVALID_ARGUMENT', `${field} ${quoteIdentifier(value)} is not valid: ${why}`);
  };
  if (typeof value !== 'string') return fail('it must be a string');
  if (!limit.allowEmpty && value.trim() === '') return fail('it is required (empty)');
  if (value.length > limit.maxLength) return fail(`it is ${value.length} characters long (at most ${limit.maxLength})`);
  const nul = value.indexOf('\0');
  if (nul >= 0) return fail(`it contains a NUL character at position ${nul + 1}`);
  if (limit.singleLine) {
    // eslint-disable-next-line no-control-regex
    const control = /[\u0000-\u001f\u007f-\u009f]/.exec(value);
    if (control) {
      const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      return fail(`it contains the control character ${JSON.stringify(control[0])} (${code}) at position ${control.index + 1}`);
    }
  }
  return value;
}
