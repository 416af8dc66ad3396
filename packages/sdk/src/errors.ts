/**
 * What can be wrong with a DAG definition. The DAG processor stores the kind with the import
 * error, so a person (or a CI job) can tell the problems apart.
 */
export type DagProblemKind =
  /** An option or id has a bad value (message names the option and the rule). */
  | 'invalid'
  /** Two tasks of one DAG share a task id. */
  | 'duplicate_task'
  /** A dependency on a task that is not part of the DAG (e.g. a task of another DAG). */
  | 'unknown_dependency'
  /** The dependencies form a cycle. */
  | 'cycle'
  /** Two DAGs share a dag id. */
  | 'duplicate_dag';

/**
 * Thrown while a DAG is defined or serialized. Recognised by `name` and `kind` (not instanceof),
 * since a DAG file may load its own copy of the SDK module.
 */
export class DagDefinitionError extends Error {
  readonly kind: DagProblemKind;
  /** The DAG the problem belongs to, when known. */
  readonly dagId: string | undefined;
  constructor(kind: DagProblemKind, message: string, options?: { dagId?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DagDefinitionError';
    this.kind = kind;
    this.dagId = options?.dagId;
  }
}

const KINDS: readonly string[] = ['invalid', 'duplicate_task', 'unknown_dependency', 'cycle', 'duplicate_dag'];

/** True for a DagDefinitionError of any copy of the SDK. */
export function isDagDefinitionError(err: unknown): err is DagDefinitionError {
  return (
    err instanceof Error &&
    err.name === 'DagDefinitionError' &&
    KINDS.includes((err as { kind?: unknown }).kind as string)
  );
}
