import type { SerializedDag } from '@updraft/sdk';

/**
 * Why a DAG file did not load; stored in import_error.kind.
 * - syntax: the file does not compile (TypeScript/JavaScript syntax error)
 * - exception: the file threw while being imported (including a missing module)
 * - cycle / duplicate_task / unknown_dependency / invalid: the SDK refused a DAG definition
 * - duplicate_dag: the file defines a dag id that another file (or the same file) already defines
 * - timeout: importing the file took longer than the per-file timeout (the parser was killed)
 * - crash: the parser process died while importing the file (e.g. process.exit in the file)
 */
export type ImportErrorKind =
  | 'syntax'
  | 'exception'
  | 'cycle'
  | 'duplicate_task'
  | 'unknown_dependency'
  | 'duplicate_dag'
  | 'invalid'
  | 'timeout'
  | 'crash';

/** A file to parse. */
export interface ParseJob {
  /** Absolute path. */
  path: string;
  /** Path relative to the DAGs folder (stored as fileloc). */
  fileloc: string;
  /** sha256 hex of the content. */
  fileHash: string;
  /** Path shown in messages (relative to the working directory when inside it). */
  displayPath: string;
}

export interface ParsedDag {
  serialized: SerializedDag;
  /** sha256 hex of the serialized JSON: changes whenever anything about the DAG or its file does. */
  dagHash: string;
}

export interface FileParsedOk {
  ok: true;
  fileloc: string;
  fileHash: string;
  dags: ParsedDag[];
  durationMs: number;
}

export interface FileParseFailed {
  ok: false;
  fileloc: string;
  fileHash: string;
  kind: ImportErrorKind;
  /** Starts with the display path: "dags/x.ts: cycle between tasks a -> b -> a". */
  message: string;
  durationMs: number;
}

export type FileParseResult = FileParsedOk | FileParseFailed;

/** Parent -> parser process. */
export interface ParseRequestMessage {
  type: 'parse';
  requestId: number;
  defaultTimezone: string;
  jobs: ParseJob[];
}

/** Parent -> parser process: do not parse the request's files from index `from` on (they went to another process). */
export interface ParseSkipMessage {
  type: 'skip';
  requestId: number;
  from: number;
}

/** Parser process -> parent: one message per file, in the order of the request's jobs. */
export interface ParseResultMessage {
  type: 'result';
  requestId: number;
  index: number;
  result: FileParseResult;
}

/** Parser process -> parent, once, when it is ready to parse (startup does not count against file timeouts). */
export interface ParserReadyMessage {
  type: 'ready';
}
