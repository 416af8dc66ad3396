/**
 * A tiny in-memory scheduler engine for the worker's integration tests, served by the real
 * WorkerService gRPC server (packages/scheduler/src/rpc) over a real socket. It keeps the
 * protocol's compare-and-set rules (claim: queued -> running for exactly this try and token;
 * report: running -> success|failed for exactly this try and token) and records every call.
 */
import { createHash, randomUUID } from 'node:crypto';
import { proto, UpdraftError, type QueuePort } from '@updraft/core';
import { startWorkerServiceServer, type WorkerFacingEngine, type WorkerServiceServerHandle } from '@updraft/scheduler';

export interface TestTask {
  dagId?: string;
  runId?: string;
  taskId: string;
  kind: 'bash' | 'function' | 'empty';
  bashCommand?: string;
  env?: Record<string, string>;
  dagFile?: { fileloc: string; content: string };
  executionTimeoutMs?: number;
  queue?: string;
  umask?: string;
}

export interface TaskRow {
  message: proto.TaskMessage;
  task: TestTask;
  state: 'queued' | 'running' | 'success' | 'failed';
  claims: number;
  fileHash?: string;
  report?: proto.ReportTaskResultRequest;
}

type Fault<Req> = (req: Req) => void;

const KIND = { bash: proto.TaskKind.TASK_KIND_BASH, function: proto.TaskKind.TASK_KIND_FUNCTION, empty: proto.TaskKind.TASK_KIND_EMPTY };

export function rowKey(k: proto.TaskInstanceKey | undefined): string {
  return `${k?.dagId}/${k?.runId}/${k?.taskId}/${k?.mapIndex}`;
}

export class TestScheduler implements WorkerFacingEngine {
  readonly rows = new Map<string, TaskRow>();
  readonly files = new Map<string, { fileloc: string; content: Buffer }>();
  readonly calls: Array<{ method: string; ok: boolean; req: unknown }> = [];
  readonly heartbeats: proto.HeartbeatRequest[] = [];
  readonly registered: proto.RegisterWorkerRequest[] = [];
  readonly deregistered: string[] = [];
  /** Injected failures: throw from these to fail a call. */
  faults: {
    claim?: Fault<proto.ClaimTaskRequest>;
    report?: Fault<proto.ReportTaskResultRequest>;
    fetch?: Fault<proto.FetchDagFileRequest>;
  } = {};
  /** What the next heartbeats answer (kill list, drain). */
  heartbeatAnswer: (req: proto.HeartbeatRequest) => proto.HeartbeatResponse = () => ({ kill: [], drain: false });
  private server: WorkerServiceServerHandle | undefined;
  readonly token = `token-${randomUUID()}`;

  async start(): Promise<string> {
    this.server = await startWorkerServiceServer({ listen: '127.0.0.1:0', token: this.token, engine: this });
    return `127.0.0.1:${this.server.port}`;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /** A queued task instance; publish its message to `queue` unless `publish` is false. */
  async add(queue: QueuePort, task: TestTask, publish = true): Promise<TaskRow> {
    const message: proto.TaskMessage = {
      key: { dagId: task.dagId ?? 'itest', runId: task.runId ?? 'manual__1', taskId: task.taskId, mapIndex: -1 },
      tryNumber: 1,
      attemptToken: randomUUID(),
      queue: task.queue ?? 'default',
      priorityWeight: 1,
    };
    const row: TaskRow = { message, task, state: 'queued', claims: 0 };
    if (task.dagFile) {
      const content = Buffer.from(task.dagFile.content);
      row.fileHash = createHash('sha256').update(content).digest('hex');
      this.files.set(row.fileHash, { fileloc: task.dagFile.fileloc, content });
    }
    this.rows.set(rowKey(message.key), row);
    if (publish) await queue.publish(message);
    return row;
  }

  row(taskId: string): TaskRow {
    const row = [...this.rows.values()].find((r) => r.task.taskId === taskId);
    if (!row) throw new Error(`no task ${taskId}`);
    return row;
  }

  count(method: string, ok?: boolean): number {
    return this.calls.filter((c) => c.method === method && (ok === undefined || c.ok === ok)).length;
  }

  private record<T>(method: string, req: unknown, fn: () => T): T {
    try {
      const res = fn();
      this.calls.push({ method, ok: true, req });
      return res;
    } catch (err) {
      this.calls.push({ method, ok: false, req });
      throw err;
    }
  }

  private current(req: { key?: proto.TaskInstanceKey; tryNumber: number; attemptToken: string }, state: TaskRow['state']): TaskRow {
    const row = this.rows.get(rowKey(req.key));
    if (!row) throw new UpdraftError('TASK_NOT_FOUND', `no task instance ${rowKey(req.key)}`);
    if (row.state !== state || row.message.attemptToken !== req.attemptToken || row.message.tryNumber !== req.tryNumber) {
      throw new UpdraftError('STALE_ATTEMPT', `attempt ${req.attemptToken} of ${rowKey(req.key)} is not ${state} (state ${row.state})`);
    }
    return row;
  }

  async registerWorker(req: proto.RegisterWorkerRequest): Promise<proto.RegisterWorkerResponse> {
    this.registered.push(req);
    return this.record('registerWorker', req, () => ({ workerId: `w-${req.workerName}`, heartbeatIntervalMs: 0 }));
  }

  async heartbeat(req: proto.HeartbeatRequest): Promise<proto.HeartbeatResponse> {
    this.heartbeats.push(req);
    return this.record('heartbeat', req, () => this.heartbeatAnswer(req));
  }

  async claimTask(req: proto.ClaimTaskRequest): Promise<proto.ClaimTaskResponse> {
    return this.record('claimTask', req, () => {
      this.faults.claim?.(req);
      const row = this.current(req, 'queued');
      row.state = 'running';
      row.claims += 1;
      const t = row.task;
      const k = req.key!;
      return {
        spec: proto.TaskSpec.fromPartial({
          kind: KIND[t.kind],
          bashCommand: t.bashCommand ?? '',
          env: t.env ?? {},
          dagFile: t.dagFile ? { fileloc: t.dagFile.fileloc, fileHash: row.fileHash! } : undefined,
          executionTimeoutMs: t.executionTimeoutMs ?? 0,
          umask: t.umask ?? '',
          maxTries: 1,
        }),
        context: proto.TaskContext.fromPartial({
          logicalDate: '2024-05-01T00:00:00.000Z', dataIntervalStart: '2024-05-01T00:00:00.000Z',
          dataIntervalEnd: '2024-05-02T00:00:00.000Z', ds: '2024-05-01', dsNodash: '20240501', ts: '2024-05-01T00:00:00+00:00',
          runId: k.runId, confJson: '{"who":"conf"}', paramsJson: '{"p":1}', timezone: 'UTC',
        }),
        logPath: `dag_id=${k.dagId}/run_id=${k.runId}/task_id=${k.taskId}/attempt=${req.tryNumber}.log`,
      };
    });
  }

  async reportTaskResult(req: proto.ReportTaskResultRequest): Promise<proto.ReportTaskResultResponse> {
    return this.record('reportTaskResult', req, () => {
      this.faults.report?.(req);
      const row = this.current(req, 'running');
      row.state = req.outcome === proto.TaskOutcome.TASK_OUTCOME_SUCCESS ? 'success' : 'failed';
      row.report = req;
      return { state: row.state };
    });
  }

  /** Ends a running attempt as the scheduler would for a zombie (a later report is stale). */
  failAsZombie(taskId: string): proto.RunningAttempt {
    const row = this.row(taskId);
    row.state = 'failed';
    return { key: row.message.key, tryNumber: row.message.tryNumber, attemptToken: row.message.attemptToken, pid: 0 };
  }

  async deregisterWorker(req: proto.DeregisterWorkerRequest): Promise<proto.DeregisterWorkerResponse> {
    this.deregistered.push(req.workerId);
    return this.record('deregisterWorker', req, () => ({}));
  }

  async fetchDagFile(req: proto.FetchDagFileRequest): Promise<proto.FetchDagFileResponse> {
    return this.record('fetchDagFile', req, () => {
      this.faults.fetch?.(req);
      const f = this.files.get(req.fileHash);
      if (!f) throw new UpdraftError('DAG_NOT_FOUND', `no DAG file with hash ${req.fileHash}`);
      return { fileloc: f.fileloc, fileHash: req.fileHash, content: f.content };
    });
  }
}
