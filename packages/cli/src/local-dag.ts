/**
 * The DAG `updraft tasks test` / `updraft dags test` run: parsed straight from the DAG files, the
 * way the scheduler's processor parses them (same parser processes and checks), so these commands
 * need no database and see the code as it is on disk now.
 */
import { resolve } from 'node:path';
import { UpdraftError, validateDagFiles, type UpdraftConfig } from '@updraft/core';
import type { SerializedDag } from '@updraft/sdk';

export interface LocalDag {
  dag: SerializedDag;
  /** Absolute path of the file that defines it (function tasks import it). */
  dagFilePath: string;
}

/** Parses `file` (default: every file of core.dags_folder) and returns the DAG `dagId`. */
export async function loadDagFromFiles(cfg: UpdraftConfig, dagId: string, file?: string): Promise<LocalDag> {
  const target = file ?? cfg.core.dagsFolder;
  const report = await validateDagFiles([target], {
    fileTimeoutMs: cfg.core.dagFileProcessorTimeoutMs,
    defaultTimezone: cfg.core.defaultTimezone,
    parsingProcesses: cfg.core.parsingProcesses,
  });
  const found = report.dags.find((d) => d.serialized.dagId === dagId);
  if (found === undefined) {
    const known = report.dags.map((d) => d.serialized.dagId).sort();
    const problems = report.problems.map((p) => `\n  [${p.kind}] ${p.message}`).join('');
    throw new UpdraftError('DAG_NOT_FOUND',
      `no DAG '${dagId}' in ${target} (DAGs there: ${known.length === 0 ? 'none' : known.join(', ')})` +
        (problems === '' ? '' : `; files that failed to load:${problems}`));
  }
  // validateDagFiles names files relative to the working directory (or absolutely outside it).
  return { dag: found.serialized, dagFilePath: resolve(found.serialized.fileloc) };
}
