/**
 * The DAG processor: finds DAG files, parses the changed ones in parser processes, and stores
 * DAGs, serialized DAGs, sources, file hashes and import errors in one transaction per pass.
 */
import { resolve } from 'node:path';
import type pg from 'pg';
import type { Queryable } from '../db/types.js';
import { withTransaction } from '../db/transaction.js';
import { displayPath, listDagFiles, readDagFile } from './discover.js';
import type { DagFileContent } from './discover.js';
import { ParserPool, PARSER_POOL_DEFAULTS } from './parser-pool.js';
import { planPass } from './plan.js';
import type { PassPlan } from './plan.js';
import * as dagFilesSql from '../sql/dag-files.js';
import type { ImportErrorRow } from '../sql/dag-files.js';
import * as dagsSql from '../sql/dags.js';
import type { ParseJob } from './types.js';

export interface DagProcessorOptions {
  /** Folder holding the DAG files, resolved against the working directory. Default './dags' (core.dags_folder). */
  dagsFolder?: string;
  /** Timezone of DAGs that name none. Default 'UTC' (core.default_timezone). */
  defaultTimezone?: string;
  /** Parser processes. Default 2 (core.parsing_processes). */
  parsingProcesses?: number;
  /** Longest time importing one file may take. Default 30000 ms (core.dag_file_processor_timeout). */
  fileTimeoutMs?: number;
  /** Files per request to a parser process. Default 25. */
  filesPerRequest?: number;
  /** A parser process is replaced after this many files. Default 2000. */
  maxFilesPerProcess?: number;
  /** Most rows per INSERT statement. Default 500. */
  writeBatchSize?: number;
}

export const DAG_PROCESSOR_DEFAULTS = {
  dagsFolder: './dags',
  defaultTimezone: PARSER_POOL_DEFAULTS.defaultTimezone,
  parsingProcesses: PARSER_POOL_DEFAULTS.processes,
  fileTimeoutMs: PARSER_POOL_DEFAULTS.fileTimeoutMs,
  filesPerRequest: PARSER_POOL_DEFAULTS.filesPerRequest,
  maxFilesPerProcess: PARSER_POOL_DEFAULTS.maxFilesPerProcess,
  writeBatchSize: 500,
} as const satisfies Required<DagProcessorOptions>;

export interface ProcessSummary {
  /** DAG files found. */
  filesSeen: number;
  /** Files parsed (new or changed, or all with `force`). */
  filesParsed: number;
  /** Files skipped because their hash was unchanged. */
  filesSkipped: number;
  /** Files gone since the last pass. */
  filesGone: number;
  /** Active DAGs after the pass. */
  dags: number;
  /** DAGs stored by this pass (from parsed files). */
  dagsStored: number;
  /** Import errors recorded by this pass. */
  errors: ImportErrorRow[];
  /** DAGs this pass deactivated (file gone or no longer defining them). */
  deactivatedDagIds: string[];
  durationMs: number;
  /** Where the time went: finding, reading and hashing files; parsing; writing to the database. */
  phasesMs: { scan: number; parse: number; write: number };
}

export interface ProcessOptions {
  /** Parse every file, even unchanged ones (`dags reserialize`). Default false. */
  force?: boolean;
}

/** A processor with long-lived parser processes; call processDagsFolder() repeatedly, close() at the end. */
export class DagProcessor {
  private readonly options: Required<DagProcessorOptions>;
  private readonly folder: string;
  private readonly pool: ParserPool;

  constructor(
    private readonly db: pg.Pool,
    options: DagProcessorOptions = {},
  ) {
    this.options = { ...DAG_PROCESSOR_DEFAULTS, ...definedOnly(options) };
    this.folder = resolve(this.options.dagsFolder);
    this.pool = new ParserPool({
      processes: this.options.parsingProcesses,
      fileTimeoutMs: this.options.fileTimeoutMs,
      filesPerRequest: this.options.filesPerRequest,
      maxFilesPerProcess: this.options.maxFilesPerProcess,
      defaultTimezone: this.options.defaultTimezone,
    });
  }

  /** One pass over the DAGs folder. Unchanged files cost a read and a hash; nothing is written when nothing changed. */
  async processDagsFolder(options: ProcessOptions = {}): Promise<ProcessSummary> {
    const started = performance.now();
    const paths = await listDagFiles(this.folder);
    const [contents, stored] = await Promise.all([
      Promise.all(paths.map((p) => readDagFile(p, this.folder))),
      dagFilesSql.selectDagFiles(this.db),
    ]);
    const changed = options.force ? contents : contents.filter((c) => stored.get(c.fileloc)?.fileHash !== c.fileHash);
    const present = contents.map((c) => c.fileloc);
    const presentSet = new Set(present);
    const goneCount = [...stored.keys()].filter((f) => !presentSet.has(f)).length;
    const activeBefore = new Set([...stored.values()].flatMap((f) => f.dagIds));
    const scanned = performance.now();
    if (changed.length === 0 && goneCount === 0) {
      return summary({ filesSeen: contents.length, filesParsed: 0, filesGone: 0, dags: activeBefore.size, started, scanned });
    }

    const parsed = await this.pool.parse(changed.map((c) => this.jobOf(c)));
    const parsedAt = performance.now();
    const plan = planPass({ stored, present, parsed, displayOf: (f) => displayPath(resolve(this.folder, f)) });
    const deactivated = await withTransaction(this.db, (client) => this.write(client, plan, changed));
    return summary({
      scanned,
      parsedAt,
      filesSeen: contents.length,
      filesParsed: changed.length,
      filesGone: plan.goneFiles.length,
      dags: plan.activeDagIds.length,
      dagsStored: plan.loaded.reduce((n, r) => n + r.dags.length, 0),
      errors: plan.importErrors,
      deactivated,
      started,
    });
  }

  private jobOf(c: DagFileContent): ParseJob {
    return { path: c.path, fileloc: c.fileloc, fileHash: c.fileHash, displayPath: displayPath(c.path) };
  }

  private async write(client: Queryable, plan: PassPlan, changed: readonly DagFileContent[]): Promise<string[]> {
    await dagsSql.lockDagProcessing(client);
    const size = this.options.writeBatchSize;
    const dags = plan.loaded.flatMap((r) => r.dags);
    const sources = new Map(changed.map((c) => [c.fileloc, c]));
    const code = plan.loaded.map((r) => sources.get(r.fileloc)!);
    for (const batch of chunks(dags, size)) await dagsSql.upsertDags(client, batch);
    for (const batch of chunks(dags, size)) await dagsSql.upsertSerializedDags(client, batch);
    for (const batch of chunks(code, size)) await dagFilesSql.insertDagCode(client, batch);
    for (const batch of chunks(plan.dagFiles, size)) await dagFilesSql.upsertDagFiles(client, batch);
    for (const batch of chunks(plan.importErrors, size)) await dagFilesSql.upsertImportErrors(client, batch);
    await dagFilesSql.deleteImportErrors(client, plan.clearErrors);
    await dagFilesSql.deleteDagFiles(client, plan.goneFiles);
    return dagsSql.deactivateDagsNotIn(client, plan.activeDagIds);
  }

  /** Ends the parser processes. */
  close(): Promise<void> {
    return this.pool.close();
  }
}

/** One pass with a processor of its own (started and closed here). */
export async function processDagsFolder(db: pg.Pool, options: DagProcessorOptions & ProcessOptions = {}): Promise<ProcessSummary> {
  const { force, ...processorOptions } = options;
  const processor = new DagProcessor(db, processorOptions);
  try {
    return await processor.processDagsFolder({ force: force ?? false });
  } finally {
    await processor.close();
  }
}

function summary(s: {
  filesSeen: number;
  filesParsed: number;
  filesGone: number;
  dags: number;
  dagsStored?: number;
  errors?: ImportErrorRow[];
  deactivated?: string[];
  started: number;
  scanned: number;
  parsedAt?: number;
}): ProcessSummary {
  const end = performance.now();
  const parsedAt = s.parsedAt ?? s.scanned;
  return {
    filesSeen: s.filesSeen,
    filesParsed: s.filesParsed,
    filesSkipped: s.filesSeen - s.filesParsed,
    filesGone: s.filesGone,
    dags: s.dags,
    dagsStored: s.dagsStored ?? 0,
    errors: s.errors ?? [],
    deactivatedDagIds: s.deactivated ?? [],
    durationMs: end - s.started,
    phasesMs: { scan: s.scanned - s.started, parse: parsedAt - s.scanned, write: end - parsedAt },
  };
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
