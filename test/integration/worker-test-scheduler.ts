/**
 * A tiny in-memory scheduler engine for the worker's integration tests, served by the real
 * WorkerService gRPC server (packages/scheduler/src/rpc) over a real socket. It keeps the
 * protocol's compare-and-set rules (claim: queued -> running for exactly this try and token;
 * report: running -> success|failed for exactly this try and token) and records every call.
 */
import { createHash, randomUUID } from 'node:crypto';
import { UpdraftError, type AttemptRef, type Connection, type QueuePort, type TaskInstanceKey, type TaskMessage } from '@updraft/core';
import {
  startWorkerServiceServer,
  type ClaimedTask,
  type ClaimRequest,
  type ConnectionAnswer,
  type DagFile,
  type HeartbeatAnswer,
  type Registered,
  type ReportAnswer,
  type ResultReport,
  type TaskScopedRead,
  type VariableAnswer,
  type WorkerFacingEngine,
  type WorkerHeartbeat,
  type WorkerRegistration,
  type WorkerServiceServerHandle,
  type XComAnswer,
  type XComRead,
  type XComWrite,
} from '@updraft/scheduler';

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
  /** Secret values the claim answer tells the worker to mask (as rendered templates would). */
  mask?: string[];
}

export interface TaskRow {
  message: TaskMessage;
  task: TestTask;
  state: 'queued' | 'running' | 'success' | 'failed';
  claims: number;
  fileHash?: string;
  report?: ResultReport;
}

type Fault<Req> = (req: Req) => void;

export function rowKey(k: TaskInstanceKey): string {
  return `${k.dagId}/${k.runId}/${k.taskId}/${k.mapIndex}`;
}

export class TestScheduler implements WorkerFacingEngine {
  readonly rows = new Map<string, TaskRow>();
  readonly files = new Map<string, { fileloc: string; content: Buffer }>();
  readonly calls: Array<{ method: string; ok: boolean; req: unknown }> = [];
  readonly heartbeats: WorkerHeartbeat[] = [];
  readonly registered: WorkerRegistration[] = [];
  readonly deregistered: string[] = [];
  /** What GetConnection / GetVariable answer (with the values to mask), for running attempts only. */
  readonly connections = new Map<string, ConnectionAnswer>();
  readonly variables = new Map<string, VariableAnswer>();
  /** XCom values by `<taskId>/<key>` (JSON text): what GetXCom answers and PushXCom stores. */
  readonly xcom = new Map<string, string>();
  /** The max_xcom_size claims carry (0 = none). */
  maxXcomSize = 0;
  /** Injected failures: throw from these to fail a call. */
  faults: {
    claim?: Fault<ClaimRequest>;
    report?: Fault<ResultReport>;
    fetch?: Fault<string>;
  } = {};
  /** What a report's answer hands off (chain fast path): a task already claimed for the worker, or null. */
  reportHandoff: (req: ResultReport) => ReportAnswer['handoff'] = () => null;
  /** What the next heartbeats answer (kill list, drain). */
  heartbeatAnswer: (req: WorkerHeartbeat) => HeartbeatAnswer = () => ({ kill: [], drain: false });
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
    const message: TaskMessage = {
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

  private current(a: AttemptRef, state: TaskRow['state']): TaskRow {
    const row = this.rows.get(rowKey(a));
    if (!row) throw new UpdraftError('TASK_NOT_FOUND', `no task instance ${rowKey(a)}`);
    if (row.state !== state || row.message.attemptToken !== a.attemptToken || row.message.tryNumber !== a.tryNumber) {
      throw new UpdraftError('STALE_ATTEMPT', `attempt ${a.attemptToken} of ${rowKey(a)} is not ${state} (state ${row.state})`);
    }
    return row;
  }

  async registerWorker(req: WorkerRegistration): Promise<Registered> {
    this.registered.push(req);
    return this.record('registerWorker', req, () => ({ workerId: `w-${req.workerName}`, heartbeatIntervalMs: 0 }));
  }

  async heartbeat(req: WorkerHeartbeat): Promise<HeartbeatAnswer> {
    this.heartbeats.push(req);
    return this.record('heartbeat', req, () => this.heartbeatAnswer(req));
  }

  async claimTask(req: ClaimRequest): Promise<ClaimedTask> {
    return this.record('claimTask', req, () => {
      this.faults.claim?.(req);
      const row = this.current(req.attempt, 'queued');
      row.state = 'running';
      row.claims += 1;
      return this.claimedTaskOf(row);
    });
  }

  /** What a claim of this row answers (the claim's rules aside: hand-offs use it as it is). */
  claimedTaskOf(row: TaskRow): ClaimedTask {
    const t = row.task;
    const k = { ...row.message.key!, tryNumber: row.message.tryNumber };
    return {
      spec: {
        kind: t.kind,
        bashCommand: t.bashCommand ?? '',
        env: t.env ?? {},
        dagFile: t.dagFile ? { fileloc: t.dagFile.fileloc, fileHash: row.fileHash! } : { fileloc: '', fileHash: '' },
        executionTimeoutMs: t.executionTimeoutMs ?? 0,
        umask: t.umask ?? '',
        runAsUser: '',
        runAsGroup: '',
        maxTries: 1,
        maxXcomSize: this.maxXcomSize,
      },
      context: {
        dagId: k.dagId, taskId: k.taskId, runId: k.runId, mapIndex: k.mapIndex, tryNumber: k.tryNumber,
        logicalDate: '2024-05-01T00:00:00.000Z', dataIntervalStart: '2024-05-01T00:00:00.000Z',
        dataIntervalEnd: '2024-05-02T00:00:00.000Z', ds: '2024-05-01', dsNodash: '20240501', ts: '2024-05-01T00:00:00+00:00', tsNodash: '20240101T000000', prevDataIntervalStartSuccess: '', prevDataIntervalEndSuccess: '', prevStartDateSuccess: '', itemJson: '',
        conf: { who: 'conf' }, params: { p: 1 }, timezone: 'UTC',
      },
      logPath: `dag_id=${k.dagId}/run_id=${k.runId}/task_id=${k.taskId}/attempt=${k.tryNumber}.log`,
      mask: t.mask ?? [],
    };
  }

  async reportTaskResult(req: ResultReport): Promise<ReportAnswer> {
    return this.record('reportTaskResult', req, () => {
      this.faults.report?.(req);
      const row = this.current(req.attempt, 'running');
      row.state = req.outcome.success ? 'success' : 'failed';
      row.report = req;
      return { state: row.state, handoff: this.reportHandoff(req) };
    });
  }

  /** Ends a running attempt as the scheduler would for a zombie (a later report is stale). */
  failAsZombie(taskId: string): AttemptRef {
    const row = this.row(taskId);
    row.state = 'failed';
    return { ...row.message.key, tryNumber: row.message.tryNumber, attemptToken: row.message.attemptToken };
  }

  async deregisterWorker(workerId: string): Promise<void> {
    this.deregistered.push(workerId);
    this.record('deregisterWorker', workerId, () => undefined);
  }

  async fetchDagFile(fileHash: string): Promise<DagFile> {
    return this.record('fetchDagFile', fileHash, () => {
      this.faults.fetch?.(fileHash);
      const f = this.files.get(fileHash);
      if (!f) throw new UpdraftError('DAG_NOT_FOUND', `no DAG file with hash ${fileHash}`);
      return { fileloc: f.fileloc, fileHash, content: f.content };
    });
  }

  async fetchBundle(req: { version: string; fileHashes: string[] }): Promise<never> {
    return this.record('fetchBundle', req, () => {
      throw new UpdraftError('DAG_NOT_FOUND', `no DAG bundle version ${req.version}`);
    });
  }

  async getConnection(req: TaskScopedRead): Promise<ConnectionAnswer> {
    return this.record('getConnection', req, () => {
      this.current(req.attempt, 'running');
      const c = this.connections.get(req.name);
      if (!c) throw new UpdraftError('CONNECTION_NOT_FOUND', `connection '${req.name}' is not defined`);
      return c;
    });
  }

  async getVariable(req: TaskScopedRead): Promise<VariableAnswer> {
    return this.record('getVariable', req, () => {
      this.current(req.attempt, 'running');
      const v = this.variables.get(req.name);
      if (!v) throw new UpdraftError('VARIABLE_NOT_FOUND', `variable '${req.name}' is not defined`);
      return v;
    });
  }

  async getXCom(req: XComRead): Promise<XComAnswer> {
    return this.record('getXCom', req, () => {
      this.current(req.attempt, 'running');
      const v = this.xcom.get(`${req.taskId}/${req.key}`);
      return v === undefined ? { found: false, valueJson: '' } : { found: true, valueJson: v };
    });
  }

  async pushXCom(req: XComWrite): Promise<void> {
    this.record('pushXCom', req, () => {
      this.current(req.attempt, 'running');
      this.xcom.set(`${req.attempt.taskId}/${req.key}`, req.valueJson);
    });
  }
}

/** A connection with only the given fields set. */
export function testConnection(fields: Partial<Connection> & Pick<Connection, 'connId' | 'connType'>): Connection {
  return { description: null, host: null, schema: null, login: null, password: null, port: null, extra: null, ...fields };
}
