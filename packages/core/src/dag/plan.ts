/**
 * What one processor pass writes, decided without I/O from: what the database knew about each
 * file, which files exist now, and the parse results of the changed ones.
 *
 * Rules:
 * - A file that loads: its DAGs are stored, its import error cleared.
 * - A file that fails: its import error is stored; the DAGs it defined before stay as they were
 *   (a typo in a DAG file never stops that DAG's schedule); it is skipped until it changes.
 * - A dag id belongs to the file that defined it before; a new id to the first file (by path)
 *   defining it. Another file defining it fails as a whole with `duplicate_dag`.
 * - DAGs not defined by any present file are deactivated; files that are gone are forgotten.
 */
import type { StoredDagFile, DagFileRow, ImportErrorRow } from '../sql/dag-files.js';
import type { FileParsedOk, FileParseResult } from './types.js';

export interface PassPlanInput {
  /** dag_file rows from the database. */
  stored: ReadonlyMap<string, StoredDagFile>;
  /** filelocs of every file present now. */
  present: readonly string[];
  /** Parse results of the files parsed in this pass. */
  parsed: readonly FileParseResult[];
  /** Path of a fileloc as shown in messages. */
  displayOf: (fileloc: string) => string;
}

export interface PassPlan {
  /** Files whose DAGs are stored. */
  loaded: FileParsedOk[];
  importErrors: ImportErrorRow[];
  dagFiles: DagFileRow[];
  /** Files whose import error is cleared (loaded or gone). */
  clearErrors: string[];
  goneFiles: string[];
  /** Every DAG defined by a present file after this pass. */
  activeDagIds: string[];
}

export function planPass(input: PassPlanInput): PassPlan {
  const { stored, parsed } = input;
  const present = new Set(input.present);
  const parsedByLoc = new Map(parsed.map((r) => [r.fileloc, r]));
  const owner = new Map<string, string>();

  // 1. Ids keep the file that owned them, as long as that file is present and (if it loaded
  //    this pass) still defines them; a file that failed keeps all it had.
  for (const [fileloc, file] of stored) {
    if (!present.has(fileloc)) continue;
    const r = parsedByLoc.get(fileloc);
    const still = r?.ok ? new Set(r.dags.map((d) => d.serialized.dagId)) : undefined;
    for (const id of file.dagIds) if (still === undefined || still.has(id)) owner.set(id, fileloc);
  }
  // 2. New ids go to the first file (by path) defining them; a file with a clash fails as a whole.
  const loaded: FileParsedOk[] = [];
  const importErrors: ImportErrorRow[] = [];
  const sorted = [...parsed].sort((a, b) => (a.fileloc < b.fileloc ? -1 : a.fileloc > b.fileloc ? 1 : 0));
  for (const result of sorted) {
    if (!result.ok) {
      importErrors.push({ fileloc: result.fileloc, fileHash: result.fileHash, kind: result.kind, message: result.message });
      continue;
    }
    const clash = result.dags.map((d) => d.serialized.dagId).find((id) => (owner.get(id) ?? result.fileloc) !== result.fileloc);
    if (clash !== undefined) {
      importErrors.push({
        fileloc: result.fileloc,
        fileHash: result.fileHash,
        kind: 'duplicate_dag',
        message:
          `${input.displayOf(result.fileloc)}: DAG id '${clash}' is already defined in ${input.displayOf(owner.get(clash)!)} ` +
          '(DAG ids must be unique across files; rename one of them)',
      });
      continue;
    }
    for (const d of result.dags) owner.set(d.serialized.dagId, result.fileloc);
    loaded.push(result);
  }

  const owned = new Map<string, string[]>();
  for (const [id, fileloc] of owner) owned.set(fileloc, [...(owned.get(fileloc) ?? []), id]);
  const dagFiles: DagFileRow[] = parsed.map((r) => ({
    fileloc: r.fileloc,
    fileHash: r.fileHash,
    dagIds: (owned.get(r.fileloc) ?? []).sort(),
    parseDurationMs: r.durationMs,
  }));
  const goneFiles = [...stored.keys()].filter((f) => !present.has(f)).sort();
  return {
    loaded,
    importErrors,
    dagFiles,
    clearErrors: [...loaded.map((r) => r.fileloc), ...goneFiles],
    goneFiles,
    activeDagIds: [...owner.keys()].sort(),
  };
}
