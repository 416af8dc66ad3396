/** The fleet side of the WorkerService: registration, heartbeats, DAG file downloads. */
import { randomUUID } from 'node:crypto';
import { notRunning, UpdraftError, type proto, type Queryable } from '@updraft/core';
import { dagCode } from './dag-sql.js';
import { markWorkerOffline, recordHeartbeat, upsertWorker } from './worker-sql.js';

export class WorkerCalls {
  constructor(private readonly db: Queryable, private readonly heartbeatIntervalMs: number) {}

  async register(req: proto.RegisterWorkerRequest): Promise<proto.RegisterWorkerResponse> {
    const workerId = randomUUID();
    await upsertWorker(this.db, workerId, req);
    return { workerId, heartbeatIntervalMs: this.heartbeatIntervalMs };
  }

  /** Records the beat; answers with the attempts the worker runs that are no longer current (kill). */
  async heartbeat(req: proto.HeartbeatRequest): Promise<proto.HeartbeatResponse> {
    const state = await recordHeartbeat(this.db, req);
    if (state === null) throw new UpdraftError('WORKER_NOT_FOUND', `unknown worker id '${req.workerId}': register again`);
    const running = req.running.filter((a) => a.key !== undefined);
    const stale = await notRunning(this.db, running.map((a) => ({
      dagId: a.key!.dagId, runId: a.key!.runId, taskId: a.key!.taskId, mapIndex: a.key!.mapIndex,
      tryNumber: a.tryNumber, attemptToken: a.attemptToken,
    })));
    return { kill: stale.map((i) => running[i]!), drain: state === 'draining' };
  }

  async deregister(req: proto.DeregisterWorkerRequest): Promise<proto.DeregisterWorkerResponse> {
    await markWorkerOffline(this.db, req.workerId);
    return {};
  }

  async fetchDagFile(req: proto.FetchDagFileRequest): Promise<proto.FetchDagFileResponse> {
    const code = await dagCode(this.db, req.fileHash);
    if (code === null) throw new UpdraftError('DAG_NOT_FOUND', `no DAG file with content hash '${req.fileHash}'`);
    return { fileloc: code.fileloc, fileHash: req.fileHash, content: code.source };
  }
}
