/**
 * Parsing one DAG file inside a parser process: import it, collect its DAGs, validate and
 * serialize them. Every failure becomes a FileParseFailed with a kind and a message that names the
 * file (and the line, when the error points into the file).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectDags, isDagDefinitionError, resetRegistry, serializeDag } from '@updraft/sdk';
import type { DagProblemKind } from '@updraft/sdk';
import { validateSchedule } from '../time/cron.js';
import { validateTimetable } from '../time/timetable-description.js';
import { importDagFile } from './module-loading.js';
import type { FileParseResult, ImportErrorKind, ParseJob, ParsedDag } from './types.js';

class FileProblem extends Error {
  constructor(
    readonly kind: ImportErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Imports, validates and serializes the DAGs of one file. Never throws. */
export async function parseDagFile(job: ParseJob, defaultTimezone: string): Promise<FileParseResult> {
  const started = performance.now();
  const base = { fileloc: job.fileloc, fileHash: job.fileHash };
  try {
    resetRegistry();
    let namespace: Record<string, unknown>;
    try {
      namespace = await importDagFile(job.path);
    } catch (err) {
      throw classifyImportError(err, job);
    }
    const dags = serializeAll(namespace, job, defaultTimezone);
    return { ok: true, ...base, dags, durationMs: performance.now() - started };
  } catch (err) {
    const problem = err instanceof FileProblem ? err : classifyImportError(err, job);
    return { ok: false, ...base, kind: problem.kind, message: problem.message, durationMs: performance.now() - started };
  } finally {
    resetRegistry();
  }
}

function serializeAll(namespace: Record<string, unknown>, job: ParseJob, defaultTimezone: string): ParsedDag[] {
  const dags = collectDags(namespace);
  const seen = new Set<string>();
  const out: ParsedDag[] = [];
  for (const d of dags) {
    if (seen.has(d.dagId)) {
      throw new FileProblem('duplicate_dag', `${job.displayPath}: defines DAG id '${d.dagId}' twice (DAG ids must be unique)`);
    }
    seen.add(d.dagId);
    try {
      const serialized = serializeDag(d, { fileloc: job.fileloc, fileHash: job.fileHash, defaultTimezone });
      validateSchedule(serialized.schedule, serialized.timezone);
      if (serialized.timetable !== undefined) validateTimetable(serialized.timetable, serialized.timezone);
      out.push({ serialized, dagHash: createHash('sha256').update(JSON.stringify(serialized)).digest('hex') });
    } catch (err) {
      if (isDagDefinitionError(err)) throw new FileProblem(err.kind, `${job.displayPath}: ${err.message}`);
      const message = err instanceof Error ? err.message : String(err);
      throw new FileProblem('invalid', `${job.displayPath}: dag '${d.dagId}': ${message}`);
    }
  }
  return out;
}

const SDK_KINDS: ReadonlySet<DagProblemKind> = new Set(['invalid', 'duplicate_task', 'unknown_dependency', 'cycle', 'duplicate_dag']);

/** Turns an error thrown while importing `job` into a FileProblem. */
function classifyImportError(err: unknown, job: ParseJob): FileProblem {
  const where = job.displayPath;
  if (isDagDefinitionError(err) && SDK_KINDS.has(err.kind)) {
    return new FileProblem(err.kind, `${where}: ${err.message}${location(err, job)}`);
  }
  if (err instanceof Error && err.name === 'TransformError') {
    // esbuild: "Transform failed with 1 error:\n/abs/file.ts:1:18: ERROR: Unexpected \";\""
    const details = err.message
      .split('\n')
      .map((l) => /^.*:(\d+):(\d+): ERROR: (.*)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => `${where}:${m[1]}:${m[2]}: syntax error: ${m[3]}`)
      .join('; ');
    return new FileProblem('syntax', details.length > 0 ? details : `${where}: syntax error: ${err.message}`);
  }
  if (err instanceof SyntaxError) {
    const at = isScript(job.path) ? syntaxErrorLocation(job) : undefined;
    return new FileProblem('syntax', `${at ?? where}: syntax error: ${err.message}`);
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const prefix = typeof code === 'string' ? `${err.name} [${code}]` : err.name;
    const message = err.message.replaceAll(`${pathToFileURL(job.path).href}`, where).replaceAll(job.path, where);
    return new FileProblem('exception', `${where}: exception at import: ${prefix}: ${message}${location(err, job)}`);
  }
  return new FileProblem('exception', `${where}: exception at import: ${String(err)}`);
}

/** " (at dags/x.ts:7:5)" for the first stack frame inside the DAG file, else "". */
function location(err: Error, job: ParseJob): string {
  const candidates = [pathToFileURL(job.path).href, job.path].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const frame = new RegExp(`(?:${candidates.join('|')})(?:\\?[^:)\\s]*)?:(\\d+):(\\d+)`);
  const m = frame.exec(err.stack ?? '');
  return m ? ` (at ${job.displayPath}:${m[1]}:${m[2]})` : '';
}

function isScript(path: string): boolean {
  return ['.js', '.mjs'].includes(extname(path));
}

/**
 * V8's SyntaxError of a JavaScript module carries no line; `node --check` prints it. Returns
 * "dags/x.mjs:2" or undefined.
 */
function syntaxErrorLocation(job: ParseJob): string | undefined {
  const r = spawnSync(process.execPath, ['--check', job.path], { encoding: 'utf8', timeout: 10_000 });
  const first = (r.stderr ?? '').split('\n')[0] ?? '';
  const m = /:(\d+)$/.exec(first);
  return m ? `${job.displayPath}:${m[1]}` : undefined;
}
