/**
 * The DAG processor: finds DAG files, parses the changed ones in parser processes, and stores
 * DAGs, serialized DAGs, sources, file hashes and import errors as results come in (one
 * transaction per batch of results).
 */
import { resolve } from 'node:path';
import type pg from 'pg';
import type { Queryable } from '../db/types.js';
import { withTransaction } from '../db/transaction.js';
import { DEFAULT_BUNDLE_MAX_BYTES, readBundle, type Bundle } from './bundle.js';
import { displayPath, listDagFiles, readDagFile } from './discover.js';
import type { DagFileContent } from './discover.js';
import { ParserPool, PARSER_POOL_DEFAULTS } from './parser-pool.js';
import { planPass } from './plan.js';
import type { PassPlan } from './plan.js';
import * as dagBundlesSql from '../sql/dag-bundles.js';
import * as dagFilesSql from '../sql/dag-files.js';
import type { ImportErrorRow } from '../sql/dag-files.js';
import * as dagsSql from '../sql/dags.js';
import type { FileParseResult, ParseJob } from './types.js';

export interface DagProcessorOptions {
  /** Folder holding the DAG files, resolved against the working directory. Default './dags' (core.dags_folder). */
  dagsFolder?: string;
  /** Timezone of DAGs that name none. Default 'UTC' (core.default_timezone). */
  defaultTimezone?: string;
  /** Parser processes. Default 2 (core.parsing_processes). */
  parsingProcesses?: number;
  /** Longest time importing one file may take. Default 30000 ms (core.dag_file_processor_timeout). */
  fileTimeoutMs?: number;
  /** A file importing this long is set aside so the others go on. Default 1000 ms. */
  slowFileMs?: number;
  /** Files per request to a parser process. Default 25. */
  filesPerRequest?: number;
  /** A parser process is replaced after this many files. Default 2000. */
  maxFilesPerProcess?: number;
  /** Most rows per INSERT statement. Default 500. */
  writeBatchSize?: number;
  /** Results are written at most this long after they arrive (files of one pass are written together when they come in together). Default 100 ms. */
  writeDelayMs?: number;
  /** Called after each write (the scheduler logs it and schedules at once). Default: nothing. */
  onWrite?: (written: DagWrite) => void;
  /** Largest DAG bundle (every file of the DAGs folder but node_modules and dot-entries). Default 50 MiB (core.dags_bundle_max_bytes). */
  bundleMaxBytes?: number;
  /** Called when a new bundle version is stored, or the bundle cannot be (too large, unreadable). Default: nothing. */
  onBundle?: (event: BundleEvent) => void;
  /**
   * Brings the folder to the tree to process right before each scan reads it (one scan at a time)
   * and gives the git commit it holds, recorded with the bundle version (a git bundle: see
   * git-source.ts). A throw fails the scan and changes nothing. Default: none, the folder is read as it is.
   */
  prepareFolder?: () => Promise<{ commit: string | null }>;
}

/** A new current bundle version, or why the bundle was not stored (runs then record none). */
export type BundleEvent =
  | { version: string; files: number; bytes: number; commit: string | null }
  | { error: Error };

export const DAG_PROCESSOR_DEFAULTS = {
  dagsFolder: './dags',
  defaultTimezone: PARSER_POOL_DEFAULTS.defaultTimezone,
  parsingProcesses: PARSER_POOL_DEFAULTS.processes,
  fileTimeoutMs: PARSER_POOL_DEFAULTS.fileTimeoutMs,
  slowFileMs: PARSER_POOL_DEFAULTS.slowFileMs,
  filesPerRequest: PARSER_POOL_DEFAULTS.filesPerRequest,
  maxFilesPerProcess: PARSER_POOL_DEFAULTS.maxFilesPerProcess,
  writeBatchSize: 500,
  writeDelayMs: 100,
  onWrite: () => undefined,
  bundleMaxBytes: DEFAULT_BUNDLE_MAX_BYTES,
  onBundle: () => undefined,
  prepareFolder: async () => ({ commit: null }),
} as const satisfies Required<DagProcessorOptions>;

/** What one write stored: parse results of some files (and forgotten files). */
export interface DagWrite {
  /** Files whose result was written. */
  files: number;
  /** DAGs stored. */
  dags: number;
  errors: ImportErrorRow[];
  /** Files gone from the folder, forgotten by this write. */
  filesGone: number;
  deactivatedDagIds: string[];
  /** Active DAGs after the write. */
  activeDags: number;
}

export interface ProcessSummary {
  /** DAG files found. */
  filesSeen: number;
  /** Files parsed (new or changed, or all with `force`), not counting files another pass was already parsing. */
  filesParsed: number;
  /** Files not parsed: unchanged, or already being parsed by an earlier pass. */
  filesSkipped: number;
  /** Files gone since the last pass. */
  filesGone: number;
  /** Active DAGs after the pass. */
  dags: number;
  /** DAGs stored by this pass (from parsed files). */
  dagsStored: number;
  /** Import errors recorded by this pass. */
  errors: ImportErrorRow[];
  /** The current DAG bundle version after the scan; null when the bundle could not be stored. */
  bundleVersion: string | null;
  /** The git commit the scan read (a git bundle); null for the DAGs folder. */
  bundleCommit: string | null;
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

/** A pass in progress. */
export interface DagPass {
  /** Resolves when each file of the pass is written, or set aside as slow (still importing after slowFileMs). */
  readonly settled: Promise<void>;
  /** Resolves when each file of the pass is written. */
  readonly done: Promise<ProcessSummary>;
}

/** The state of one pass while its files are parsed and written. */
interface PassState {
  started: number;
  bundleVersion: string | null;
  bundleCommit: string | null;
  scanned: number;
  filesSeen: number;
  filesParsed: number;
  /** Files neither written nor set aside as slow. */
  unsettled: Set<string>;
  /** Files not written yet. */
  unwritten: number;
  /** Results received. */
  received: number;
  /** The first write that failed. */
  error: unknown;
  buffer: FileParseResult[];
  timer: NodeJS.Timeout | undefined;
  sources: Map<string, DagFileContent>;
  lastResultAt: number;
  writeMs: number;
  totals: { dagsStored: number; errors: ImportErrorRow[]; deactivated: string[]; filesGone: number; dags: number };
  settle: () => void;
  finish: () => void;
}

/**
 * A processor with long-lived parser processes; call processDagsFolder() (or startPass())
 * repeatedly, close() at the end. Files are parsed independently: results are written as they
 * come in (batched over writeDelayMs), a file being parsed is never queued twice, and passes may
 * overlap, so one file that hangs at import never delays new or changed files. A file that timed
 * out is recorded with its hash and not imported again until it changes.
 */
export class DagProcessor {
  private readonly options: Required<DagProcessorOptions>;
  private readonly folder: string;
  private readonly pool: ParserPool;
  /** `fileloc\0hash` of the files being parsed or waiting to be written. */
  private readonly inFlight = new Set<string>();
  /** fileloc -> hash of the newest scan: what exists now. */
  private present = new Map<string, string>();
  private scans: Promise<unknown> = Promise.resolve();
  private writes: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** The bundle version this processor stored as current last. */
  private storedBundle: string | undefined;

  constructor(
    private readonly db: pg.Pool,
    options: DagProcessorOptions = {},
  ) {
    this.options = { ...DAG_PROCESSOR_DEFAULTS, ...definedOnly(options) };
    this.folder = resolve(this.options.dagsFolder);
    this.pool = new ParserPool({
      processes: this.options.parsingProcesses,
      fileTimeoutMs: this.options.fileTimeoutMs,
      slowFileMs: this.options.slowFileMs,
      filesPerRequest: this.options.filesPerRequest,
      maxFilesPerProcess: this.options.maxFilesPerProcess,
      defaultTimezone: this.options.defaultTimezone,
    });
  }

  /** Starts the parser processes ahead of the first pass. */
  prewarm(): void {
    this.pool.prewarm();
  }

  /** One pass over the DAGs folder, until each of its files is written. Unchanged files cost a read and a hash. */
  async processDagsFolder(options: ProcessOptions = {}): Promise<ProcessSummary> {
    return (await this.startPass(options)).done;
  }

  /** Scans the folder and queues the new and changed files; resolves once they are queued. Scans run one at a time. */
  startPass(options: ProcessOptions = {}): Promise<DagPass> {
    const pass = this.scans.then(() => this.scan(options));
    this.scans = pass.catch(() => undefined);
    return pass;
  }

  private async scan(options: ProcessOptions): Promise<DagPass> {
    if (this.closed) throw new Error('DagProcessor is closed');
    const started = performance.now();
    const { commit: bundleCommit } = await this.options.prepareFolder();
    const paths = await listDagFiles(this.folder);
    const bundle = await this.storeBundle(bundleCommit);
    const inBundle = new Map(bundle?.files.map((f) => [f.absPath, f]));
    const [contents, stored] = await Promise.all([
      // A file read for the bundle is not read again (and so has the same content and hash).
      Promise.all(paths.map((p) => {
        const f = inBundle.get(p);
        return f ? Promise.resolve({ path: p, fileloc: f.path, fileHash: f.hash, source: f.content }) : readDagFile(p, this.folder);
      })),
      dagFilesSql.selectDagFiles(this.db),
    ]);
    const bundleVersion = bundle?.version ?? null;
    this.present = new Map(contents.map((c) => [c.fileloc, c.fileHash]));
    const changed = (options.force ? contents : contents.filter((c) => stored.get(c.fileloc)?.fileHash !== c.fileHash))
      .filter((c) => !this.inFlight.has(flightKey(c)));
    const goneCount = [...stored.keys()].filter((f) => !this.present.has(f)).length;
    const scanned = performance.now();
    const activeBefore = new Set([...stored.values()].flatMap((f) => f.dagIds)).size;
    if (changed.length === 0 && goneCount === 0) {
      const s = summary({ started, scanned, bundleVersion, bundleCommit, filesSeen: contents.length, filesParsed: 0, writeMs: 0, lastResultAt: scanned,
        totals: { dagsStored: 0, errors: [], deactivated: [], filesGone: 0, dags: activeBefore } });
      return { settled: Promise.resolve(), done: Promise.resolve(s) };
    }
    for (const c of changed) this.inFlight.add(flightKey(c));
    let settle: () => void = () => undefined;
    let finish: () => void = () => undefined;
    const settled = new Promise<void>((r) => (settle = r));
    const finished = new Promise<void>((r) => (finish = r));
    const state: PassState = {
      started, scanned, bundleVersion, bundleCommit, filesSeen: contents.length, filesParsed: changed.length,
      unsettled: new Set(changed.map((c) => c.fileloc)), unwritten: changed.length, received: 0, error: undefined,
      buffer: [], timer: undefined, sources: new Map(changed.map((c) => [c.fileloc, c])),
      lastResultAt: scanned, writeMs: 0,
      totals: { dagsStored: 0, errors: [], deactivated: [], filesGone: 0, dags: activeBefore },
      settle, finish,
    };
    if (changed.length === 0) {
      // Only files gone: one write forgets them.
      this.flush(state);
    } else {
      void this.pool.parseEach(changed.map((c) => this.jobOf(c)), {
        onResult: (_job, result) => {
          state.buffer.push(result);
          state.received += 1;
          state.lastResultAt = performance.now();
          const all = state.received === state.filesParsed;
          if (all || state.buffer.length >= this.options.writeBatchSize) this.flush(state);
          else state.timer ??= setTimeout(() => this.flush(state), this.options.writeDelayMs);
        },
        onSlow: (job) => this.settleFile(state, job.fileloc),
      });
    }
    const done = finished.then(() => {
      if (state.error !== undefined) throw state.error;
      return summary(state);
    });
    done.catch(() => undefined); // a caller that only waits for `settled` leaves it unobserved
    return { settled, done };
  }

  /**
   * Reads the bundle and, when its version is new to this processor, stores its manifest and the
   * contents the database lacks, and makes it current (new runs start with it). Stored before the
   * changed files are parsed: a run created meanwhile gets the new modules with the DAG's previous
   * structure, never a version no worker can fetch. A bundle that cannot be read or stored is
   * reported (onBundle) and runs record none; DAG files are processed all the same. `commit`: the
   * git commit the folder holds (recorded with a new version), null for the DAGs folder.
   */
  private async storeBundle(commit: string | null): Promise<Bundle | undefined> {
    try {
      const bundle = await readBundle(this.folder, this.options.bundleMaxBytes);
      if (bundle.version === this.storedBundle) return bundle;
      await withTransaction(this.db, async (client) => {
        // `db clean` deletes old versions' contents under this lock: none found here goes before the version commits.
        await dagsSql.lockDagProcessing(client);
        const missing = new Set(await dagBundlesSql.missingContents(client, bundle.files.map((f) => f.hash)));
        const code = bundle.files.filter((f) => missing.delete(f.hash)).map((f) => ({ fileHash: f.hash, fileloc: f.path, source: f.content }));
        for (const batch of chunksByBytes(code, 16 * 1024 * 1024)) await dagFilesSql.insertDagCode(client, batch);
        await dagBundlesSql.storeCurrentBundleVersion(client, bundle.version, bundle.files, commit);
      });
      this.storedBundle = bundle.version;
      this.options.onBundle({ version: bundle.version, files: bundle.files.length, bytes: bundle.totalBytes, commit });
      return bundle;
    } catch (err) {
      this.options.onBundle({ error: err as Error });
      return undefined;
    }
  }

  private settleFile(state: PassState, fileloc: string): void {
    state.unsettled.delete(fileloc);
    if (state.unsettled.size === 0) state.settle();
  }

  /** Writes what `state` has buffered (after the writes before it). */
  private flush(state: PassState): void {
    clearTimeout(state.timer);
    state.timer = undefined;
    const results = state.buffer.splice(0);
    const write = this.writes.then(async () => {
      const t0 = performance.now();
      try {
        if (!this.closed) await this.write(state, results);
      } catch (err) {
        // The files stay unwritten (their hashes too): the next pass parses them again.
        state.error ??= err;
      } finally {
        state.writeMs += performance.now() - t0;
        for (const r of results) {
          this.inFlight.delete(flightKey(r));
          this.settleFile(state, r.fileloc);
        }
        state.unwritten -= results.length;
        if (state.unwritten <= 0) {
          state.settle();
          state.finish();
        }
      }
    });
    this.writes = write;
  }

  private jobOf(c: DagFileContent): ParseJob {
    return { path: c.path, fileloc: c.fileloc, fileHash: c.fileHash, displayPath: displayPath(c.path) };
  }

  private async write(state: PassState, results: readonly FileParseResult[]): Promise<void> {
    const present = this.present;
    // A result for a file that changed or went away since is stale: the newest scan has it.
    const current = results.filter((r) => present.get(r.fileloc) === r.fileHash);
    const { plan, deactivated } = await withTransaction(this.db, async (client) => {
      await dagsSql.lockDagProcessing(client);
      const stored = await dagFilesSql.selectDagFiles(client);
      const p = planPass({ stored, present: [...present.keys()], parsed: current, displayOf: (f) => displayPath(resolve(this.folder, f)) });
      return { plan: p, deactivated: await this.store(client, p, state.sources) };
    });
    const written: DagWrite = {
      files: current.length,
      dags: plan.loaded.reduce((n, r) => n + r.dags.length, 0),
      errors: plan.importErrors,
      filesGone: plan.goneFiles.length,
      deactivatedDagIds: deactivated,
      activeDags: plan.activeDagIds.length,
    };
    const t = state.totals;
    t.dagsStored += written.dags;
    t.errors.push(...written.errors);
    t.deactivated.push(...deactivated);
    t.filesGone += written.filesGone;
    t.dags = written.activeDags;
    this.options.onWrite(written);
  }

  private async store(client: Queryable, plan: PassPlan, sources: ReadonlyMap<string, DagFileContent>): Promise<string[]> {
    const size = this.options.writeBatchSize;
    const dags = plan.loaded.flatMap((r) => r.dags);
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

  /** Ends the parser processes (a file still importing is not recorded) after the writes in progress. */
  async close(): Promise<void> {
    this.closed = true;
    await this.scans;
    await this.pool.close();
    await this.writes;
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

function flightKey(f: { fileloc: string; fileHash: string }): string {
  return `${f.fileloc}\0${f.fileHash}`;
}

function summary(s: {
  started: number;
  bundleVersion: string | null;
  bundleCommit: string | null;
  scanned: number;
  lastResultAt: number;
  writeMs: number;
  filesSeen: number;
  filesParsed: number;
  totals: PassState['totals'];
}): ProcessSummary {
  const end = performance.now();
  return {
    filesSeen: s.filesSeen,
    filesParsed: s.filesParsed,
    filesSkipped: s.filesSeen - s.filesParsed,
    filesGone: s.totals.filesGone,
    dags: s.totals.dags,
    dagsStored: s.totals.dagsStored,
    bundleVersion: s.bundleVersion,
    bundleCommit: s.bundleCommit,
    errors: [...s.totals.errors].sort((a, b) => (a.fileloc < b.fileloc ? -1 : a.fileloc > b.fileloc ? 1 : 0)),
    deactivatedDagIds: s.totals.deactivated,
    durationMs: end - s.started,
    phasesMs: { scan: s.scanned - s.started, parse: s.lastResultAt - s.scanned, write: s.writeMs },
  };
}

/** Batches of rows whose sources add up to at most `maxBytes` (a larger row is a batch of its own). */
function* chunksByBytes<T extends { source: Buffer }>(items: readonly T[], maxBytes: number): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (batch.length > 0 && bytes + item.source.length > maxBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += item.source.length;
  }
  if (batch.length > 0) yield batch;
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
