/** The fleet side of the WorkerService: registration, heartbeats, leaving, DAG file downloads. */
import { randomUUID } from 'node:crypto';
import { dagBundlesSql, dagFilesSql, taskInstancesSql, tryDetailsSql, UpdraftError, workersSql, type Queryable } from '@updraft/core';
import type { BundleAnswer, BundleRequest, DagFile, HeartbeatAnswer, Registered, WorkerHeartbeat, WorkerRegistration } from '../worker-facing.js';

/** Largest FetchBundle answer with file contents (a single larger file is sent alone). */
export const MAX_BUNDLE_RESPONSE_BYTES = 8 * 1024 * 1024;

export class WorkerCalls {
  constructor(private readonly db: Queryable, private readonly heartbeatIntervalMs: number) {}

  async register(req: WorkerRegistration): Promise<Registered> {
    const workerId = randomUUID();
    await workersSql.upsertWorker(this.db, workerId, req);
    return { workerId, heartbeatIntervalMs: this.heartbeatIntervalMs };
  }

  /** Records the beat; answers with the attempts the worker runs that are no longer current (kill). */
  async heartbeat(req: WorkerHeartbeat): Promise<HeartbeatAnswer> {
    const beat = await workersSql.recordHeartbeat(this.db, { ...req, running: req.running.length });
    if (beat === null) throw new UpdraftError('WORKER_NOT_FOUND', `unknown worker id '${req.workerId}': register again`);
    // The pids of running tries are recorded as they become known (a try shows where its process is).
    const [stale] = await Promise.all([taskInstancesSql.notRunning(this.db, req.running), tryDetailsSql.recordRunningPids(this.db, req.running)]);
    return { kill: stale.map((s) => req.running[s.index]!), killReasons: stale.map((s) => s.reason), drain: beat.state === 'draining', concurrency: beat.desiredConcurrency ?? 0,
      queues: beat.desiredQueues ?? [], pause: beat.paused, controls: beat.controls };
  }

  async deregister(workerId: string): Promise<void> {
    await workersSql.markWorkerOffline(this.db, workerId);
  }

  async fetchDagFile(fileHash: string): Promise<DagFile> {
    const code = await dagFilesSql.dagCode(this.db, fileHash);
    if (code === null) throw new UpdraftError('DAG_NOT_FOUND', `no DAG file with content hash '${fileHash}'`);
    return { fileloc: code.fileloc, fileHash, content: code.source };
  }

  /**
   * A bundle version's manifest, or the contents of some of its files: the asked hashes in order
   * while they fit in MAX_BUNDLE_RESPONSE_BYTES (always at least one), so no answer nears the
   * message size limit however large the bundle.
   */
  async fetchBundle(req: BundleRequest): Promise<BundleAnswer> {
    const manifest = await dagBundlesSql.bundleManifest(this.db, req.version);
    if (manifest === null) throw new UpdraftError('DAG_NOT_FOUND', `no DAG bundle version '${req.version}'`);
    const answer: BundleAnswer = { version: req.version, files: [], contents: [], maxResponseBytes: MAX_BUNDLE_RESPONSE_BYTES };
    if (req.fileHashes.length === 0) {
      answer.files = manifest.map((f) => ({ path: f.path, fileHash: f.hash, size: f.size }));
      return answer;
    }
    const sizes = new Map(manifest.map((f) => [f.hash, f.size]));
    const wanted: string[] = [];
    let bytes = 0;
    for (const h of req.fileHashes) {
      const size = sizes.get(h);
      if (size === undefined) throw new UpdraftError('INVALID_ARGUMENT', `file hash '${h}' is not part of DAG bundle version '${req.version}'`);
      if (wanted.length > 0 && bytes + size > MAX_BUNDLE_RESPONSE_BYTES) break;
      wanted.push(h);
      bytes += size;
    }
    const contents = await dagBundlesSql.bundleContents(this.db, wanted);
    for (const h of wanted) {
      const content = contents.get(h);
      if (content === undefined) throw new UpdraftError('DAG_NOT_FOUND', `DAG bundle version '${req.version}' lacks the content of file hash '${h}'`);
      answer.contents.push({ fileHash: h, content });
    }
    return answer;
  }
}
