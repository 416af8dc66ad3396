/**
 * `updraft dags validate`: parse DAG files exactly as the processor does (same parser processes,
 * same checks, including dag ids defined twice across files) without a database.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UpdraftError } from '../errors.js';
import { displayPath, listDagFiles, readDagFile } from './discover.js';
import { ParserPool } from './parser-pool.js';
import type { ParserPoolOptions } from './parser-pool.js';
import { planPass } from './plan.js';
import type { ImportErrorKind, ParsedDag } from './types.js';

export type ValidateOptions = Omit<ParserPoolOptions, 'processes'> & {
  /** Parser processes. Default 2 (core.parsing_processes). */
  parsingProcesses?: number;
};

export interface ValidationProblem {
  /** The file as shown to people (relative to the working directory when inside it). */
  file: string;
  kind: ImportErrorKind;
  message: string;
}

export interface ValidationReport {
  /** Files checked. */
  files: number;
  /** DAGs of the files that loaded. */
  dags: ParsedDag[];
  /** One per broken file, in path order. */
  problems: ValidationProblem[];
}

/** Validates the DAG files at `paths` (files, or folders searched like the DAGs folder). Touches no database. */
export async function validateDagFiles(paths: readonly string[], options: ValidateOptions = {}): Promise<ValidationReport> {
  const files: Array<{ path: string; base: string }> = [];
  for (const p of paths) {
    const abs = resolve(p);
    const info = await stat(abs).catch((err: unknown) => {
      throw new UpdraftError('INVALID_ARGUMENT', `${p}: no such file or directory`, { cause: err });
    });
    if (info.isDirectory()) files.push(...(await listDagFiles(abs)).map((f) => ({ path: f, base: abs })));
    else files.push({ path: abs, base: dirname(abs) });
  }
  const unique = [...new Map(files.map((f) => [f.path, f])).values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  const contents = await Promise.all(unique.map((f) => readDagFile(f.path, f.base)));
  const jobs = contents.map((c) => {
    // fileloc only has to be unique here: use the display path.
    const shown = displayPath(c.path);
    return { path: c.path, fileloc: shown, fileHash: c.fileHash, displayPath: shown };
  });
  const { parsingProcesses, ...poolOptions } = options;
  const pool = new ParserPool({ ...poolOptions, processes: parsingProcesses });
  try {
    const parsed = await pool.parse(jobs);
    const plan = planPass({ stored: new Map(), present: jobs.map((j) => j.fileloc), parsed, displayOf: (f) => f });
    return {
      files: jobs.length,
      dags: plan.loaded.flatMap((r) => r.dags),
      problems: plan.importErrors
        .map((e) => ({ file: e.fileloc, kind: e.kind, message: e.message }))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    };
  } finally {
    await pool.close();
  }
}
