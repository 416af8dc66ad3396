/**
 * A minimal Updraft worker written from `proto/updraft/v1/*.proto` and `docs/protocol.md` alone:
 * the .proto files are loaded at run time with @grpc/proto-loader (no generated code), and nothing
 * is imported from packages/ or @updraft/*. It is the proof that a worker in another language can
 * be written from the protocol documentation; test/conformance/conformance.test.ts runs a DAG on it.
 *
 * What it does (section numbers of docs/protocol.md):
 *   RegisterWorker, then Heartbeat every heartbeat_interval_ms (3), obeying `kill` and `drain`;
 *   one pull loop per slot on the shared durable consumer `q_<queue>` of each queue (2);
 *   ClaimTask -> run the bash command -> ReportTaskResult -> ack, with the status rules of (4);
 *   SIGTERM: stop pulling, finish and report running tasks, DeregisterWorker (6).
 * What it leaves out: function tasks (reported as failed), run_as_user / run_as_group, TLS.
 *
 * Settings (environment, the same names as Updraft's configuration):
 *   UPDRAFT__WORKER__SCHEDULER_ADDRESS  host:port of the WorkerService   (127.0.0.1:50051)
 *   UPDRAFT__SECURITY__WORKER_TOKEN     shared worker token               (required)
 *   UPDRAFT__NATS__URL                  NATS server                       (nats://127.0.0.1:4222)
 *   UPDRAFT__NATS__STREAM / UPDRAFT__NATS__SUBJECT_PREFIX                 (UPDRAFT_TASKS / updraft.tasks)
 *   UPDRAFT__WORKER__QUEUES             comma-separated queues            (default)
 *   UPDRAFT__WORKER__CONCURRENCY        tasks at once                     (2)
 *   UPDRAFT__WORKER__NAME               name to register with             (<hostname>-conformance-<pid>)
 *   UPDRAFT__WORKER__UMASK              umask of task processes           (0022)
 *   UPDRAFT__LOGGING__BASE_LOG_FOLDER   root of the per-try log files     (./logs)
 *
 * Run: node --import tsx test/conformance/worker.ts
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { hostname, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type Consumer,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';

// ---------------------------------------------------------------------------------------------
// The protocol, from the .proto files. Field names stay as the .proto spells them (keepCase),
// enums are their names, int64 values are numbers.
// ---------------------------------------------------------------------------------------------

export interface TaskInstanceKey {
  dag_id: string;
  run_id: string;
  task_id: string;
  map_index: number;
}

/** Body of a JetStream task message. */
export interface TaskMessage {
  key: TaskInstanceKey | null;
  try_number: number;
  attempt_token: string;
  queue: string;
  priority_weight: number;
}

export interface ClaimTaskResponse {
  spec: {
    kind: string;
    bash_command: string;
    env: Record<string, string>;
    execution_timeout_ms: number;
    umask: string;
  } | null;
  context: {
    logical_date: string;
    data_interval_start: string;
    data_interval_end: string;
    ds: string;
    run_id: string;
  } | null;
  log_path: string;
}

interface RunningAttempt {
  key: TaskInstanceKey;
  try_number: number;
  attempt_token: string;
  pid: number;
}

export const PROTO_ROOT = fileURLToPath(new URL('../../proto', import.meta.url));

export interface Protocol {
  WorkerService: grpc.ServiceClientConstructor;
  TaskMessage: protoLoader.MessageTypeDefinition<object, TaskMessage>;
}

/** Loads every `updraft/v1/*.proto` under `root`. */
export function loadProtocol(root = PROTO_ROOT): Protocol {
  const files = readdirSync(join(root, 'updraft', 'v1'))
    .filter((f) => f.endsWith('.proto'))
    .map((f) => `updraft/v1/${f}`);
  const definition = protoLoader.loadSync(files, {
    includeDirs: [root],
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  });
  const v1 = (grpc.loadPackageDefinition(definition).updraft as grpc.GrpcObject).v1 as grpc.GrpcObject;
  return {
    WorkerService: v1.WorkerService as grpc.ServiceClientConstructor,
    TaskMessage: definition['updraft.v1.TaskMessage'] as protoLoader.MessageTypeDefinition<object, TaskMessage>,
  };
}

export type CallMethod =
  | 'RegisterWorker'
  | 'Heartbeat'
  | 'ClaimTask'
  | 'ReportTaskResult'
  | 'DeregisterWorker'
  | 'FetchDagFile';

export interface SchedulerClient {
  /** One unary call with the bearer token and a deadline; rejects with the grpc ServiceError. */
  call<Res = Record<string, unknown>>(method: CallMethod, request: object, timeoutMs?: number): Promise<Res>;
  close(): void;
}

type UnaryCall = (
  request: object,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, response: unknown) => void,
) => void;

/** A WorkerService client: plaintext HTTP/2, keepalive pings, `authorization: Bearer <token>` on every call. */
export function connectScheduler(address: string, token: string, protocol = loadProtocol()): SchedulerClient {
  const client = new protocol.WorkerService(address, grpc.credentials.createInsecure(), {
    'grpc.keepalive_time_ms': 20_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.keepalive_permit_without_calls': 1,
  });
  const methods = client as unknown as Record<CallMethod, UnaryCall>;
  return {
    call: <Res>(method: CallMethod, request: object, timeoutMs = 10_000) =>
      new Promise<Res>((resolvePromise, reject) => {
        const metadata = new grpc.Metadata();
        metadata.set('authorization', `Bearer ${token}`);
        methods[method](request, metadata, { deadline: Date.now() + timeoutMs }, (err, response) => {
          if (err) reject(err);
          else resolvePromise(response as Res);
        });
      }),
    close: () => client.close(),
  };
}

/** The gRPC status of a failed call (UNKNOWN for anything that is not a gRPC error). */
export function statusOf(err: unknown): grpc.status {
  const code = (err as Partial<grpc.ServiceError> | undefined)?.code;
  return typeof code === 'number' ? code : grpc.status.UNKNOWN;
}

/** `FAILED_PRECONDITION: <details> [STALE_ATTEMPT]`, for log lines. */
export function describeError(err: unknown): string {
  const e = err as Partial<grpc.ServiceError>;
  if (typeof e?.code !== 'number') return String(err);
  const updraftCode = e.metadata?.get('updraft-error-code')[0];
  return `${grpc.status[e.code]}: ${e.details ?? ''}${updraftCode ? ` [${String(updraftCode)}]` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// The worker.
// ---------------------------------------------------------------------------------------------

const { status } = grpc;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (text: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${text}\n`);
};
/** How long running tasks may finish after SIGTERM before they are killed. */
const SHUTDOWN_GRACE_MS = 60_000;

interface Settings {
  schedulerAddress: string;
  token: string;
  natsUrl: string;
  stream: string;
  subjectPrefix: string;
  queues: string[];
  concurrency: number;
  name: string;
  umask: string;
  logFolder: string;
}

function settings(env = process.env): Settings {
  const token = env.UPDRAFT__SECURITY__WORKER_TOKEN ?? '';
  if (token === '') throw new Error('UPDRAFT__SECURITY__WORKER_TOKEN is required');
  const queues = (env.UPDRAFT__WORKER__QUEUES || 'default').split(',').map((q) => q.trim());
  for (const q of queues) if (!/^[A-Za-z0-9_-]{1,64}$/.test(q)) throw new Error(`invalid queue name ${JSON.stringify(q)}`);
  const concurrency = Number(env.UPDRAFT__WORKER__CONCURRENCY || 2);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('UPDRAFT__WORKER__CONCURRENCY must be an integer >= 1');
  const umask = env.UPDRAFT__WORKER__UMASK || '0022';
  if (!/^0?[0-7]{3}$/.test(umask)) throw new Error('UPDRAFT__WORKER__UMASK must be octal, e.g. 0022');
  return {
    schedulerAddress: env.UPDRAFT__WORKER__SCHEDULER_ADDRESS || '127.0.0.1:50051',
    token,
    natsUrl: env.UPDRAFT__NATS__URL || 'nats://127.0.0.1:4222',
    stream: env.UPDRAFT__NATS__STREAM || 'UPDRAFT_TASKS',
    subjectPrefix: env.UPDRAFT__NATS__SUBJECT_PREFIX || 'updraft.tasks',
    queues,
    concurrency,
    name: env.UPDRAFT__WORKER__NAME || `${hostname()}-conformance-${process.pid}`,
    umask,
    logFolder: resolve(env.UPDRAFT__LOGGING__BASE_LOG_FOLDER || 'logs'),
  };
}

/** The stream (if the scheduler has not created it yet) and the queue's shared durable consumer (2). */
async function bindQueue(jsm: JetStreamManager, s: Settings, queue: string): Promise<{ durable: string; ackWaitMs: number }> {
  const infoOrCreate = async <T>(info: () => Promise<T>, create: () => Promise<T>): Promise<T> => {
    try {
      return await info();
    } catch {
      try {
        return await create();
      } catch {
        return await info(); // another process created it first
      }
    }
  };
  await infoOrCreate(
    () => jsm.streams.info(s.stream),
    () => jsm.streams.add({
      name: s.stream,
      subjects: [`${s.subjectPrefix}.>`],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(120_000),
    }),
  );
  const durable = `q_${queue}`;
  const info = await infoOrCreate(
    () => jsm.consumers.info(s.stream, durable),
    () => jsm.consumers.add(s.stream, {
      durable_name: durable,
      filter_subject: `${s.subjectPrefix}.${queue}`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(30_000),
      max_deliver: 5,
      max_ack_pending: 10_000,
    }),
  );
  return { durable, ackWaitMs: (info.config.ack_wait ?? nanos(30_000)) / 1_000_000 };
}

/** A claimed attempt, from claim until its result is settled (what heartbeats list). */
interface Running {
  attempt: RunningAttempt;
  /** Kills the task's process group (set while it runs). */
  kill?: () => void;
  /** The scheduler ended this attempt (heartbeat `kill`): do not report it. */
  killedByScheduler: boolean;
}

interface Result {
  outcome: 'TASK_OUTCOME_SUCCESS' | 'TASK_OUTCOME_FAILED';
  exit_code: number;
  error: string;
  duration_ms: number;
  timed_out: boolean;
}

export async function runWorker(s: Settings): Promise<number> {
  const protocol = loadProtocol();
  const scheduler = connectScheduler(s.schedulerAddress, s.token, protocol);
  const nc = await connect({ servers: s.natsUrl, name: s.name, maxReconnectAttempts: -1 });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);

  let workerId = '';
  let heartbeatMs = 2000;
  let stopping = false;
  let exitCode = 0;
  let processed = 0;
  let busy = 0; // slots holding a message (claiming, running or reporting)
  let giveUpReports = false;
  const running = new Map<string, Running>(); // by attempt token

  let stopped!: () => void;
  const stopRequested = new Promise<void>((r) => (stopped = r));
  const stop = (reason: string, code = 0): void => {
    if (!stopping) log(`stopping: ${reason}`);
    stopping = true;
    if (code !== 0) exitCode = code;
    stopped();
  };

  // RegisterWorker: at start, and again when a call answers NOT_FOUND for the worker id (3).
  const register = async (): Promise<void> => {
    for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
      try {
        const res = await scheduler.call<{ worker_id: string; heartbeat_interval_ms: number }>('RegisterWorker', {
          worker_name: s.name,
          hostname: hostname(),
          queues: s.queues,
          concurrency: s.concurrency,
          version: 'conformance',
          umask: s.umask,
          uid: process.getuid?.() ?? 0,
          gid: process.getgid?.() ?? 0,
          pid: process.pid,
        });
        workerId = res.worker_id;
        heartbeatMs = res.heartbeat_interval_ms > 0 ? res.heartbeat_interval_ms : heartbeatMs;
        log(`registered as ${s.name}, worker id ${workerId}, heartbeat every ${heartbeatMs} ms`);
        return;
      } catch (err) {
        const code = statusOf(err);
        if (code === status.UNAUTHENTICATED || code === status.INVALID_ARGUMENT) throw new Error(`RegisterWorker: ${describeError(err)}`);
        log(`RegisterWorker failed (${describeError(err)}), retrying in ${delay} ms`);
        await sleep(delay);
      }
    }
  };

  const heartbeat = async (): Promise<void> => {
    try {
      const [load1, load5, load15] = loadavg();
      const res = await scheduler.call<{ kill: RunningAttempt[]; drain: boolean }>('Heartbeat', {
        worker_id: workerId,
        running: [...running.values()].map((r) => r.attempt),
        free_slots: Math.max(0, s.concurrency - busy),
        load1, load5, load15, processed,
      });
      for (const k of res.kill) {
        const r = running.get(k.attempt_token);
        if (r) {
          log(`scheduler ended ${k.key.task_id} try ${k.try_number}: killing it`);
          r.killedByScheduler = true;
          r.kill?.();
        }
      }
      if (res.drain) stop('drain requested by the scheduler');
    } catch (err) {
      const code = statusOf(err);
      if (code === status.NOT_FOUND) await register();
      else if (code === status.UNAUTHENTICATED) stop(`Heartbeat: ${describeError(err)}`, 2);
      else log(`Heartbeat failed (${describeError(err)}); next one in ${heartbeatMs} ms`);
    }
  };

  const ack = async (msg: JsMsg): Promise<void> => {
    try {
      await msg.ackAck(); // as a request: the server's reply confirms it
    } catch (err) {
      log(`ack failed (${String(err)}); a redelivery will be refused at claim`);
    }
  };

  /** Runs the claimed bash command with its log file, environment, umask and timeout. */
  const execute = async (m: TaskMessage, claim: ClaimTaskResponse, r: Running): Promise<Result> => {
    const t0 = performance.now();
    const end = (ok: boolean, exit_code: number, error: string, timed_out = false): Result => ({
      outcome: ok ? 'TASK_OUTCOME_SUCCESS' : 'TASK_OUTCOME_FAILED', exit_code, error, timed_out, duration_ms: performance.now() - t0,
    });
    const spec = claim.spec;
    if (spec?.kind === 'TASK_KIND_EMPTY') return end(true, 0, '');
    if (spec?.kind !== 'TASK_KIND_BASH') return end(false, -1, `this worker runs bash tasks only, not ${spec?.kind ?? 'no spec'}`);

    const logFile = resolve(s.logFolder, claim.log_path);
    const rel = relative(s.logFolder, logFile);
    if (claim.log_path === '' || rel.startsWith('..') || isAbsolute(rel)) return end(false, -1, `unusable log_path ${JSON.stringify(claim.log_path)}`);
    mkdirSync(dirname(logFile), { recursive: true });
    const ctx = claim.context;
    const key = m.key!;
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: process.env.LANG ?? 'C.UTF-8',
      ...spec.env,
      UPDRAFT_DAG_ID: key.dag_id,
      UPDRAFT_TASK_ID: key.task_id,
      UPDRAFT_RUN_ID: key.run_id,
      UPDRAFT_MAP_INDEX: String(key.map_index),
      UPDRAFT_TRY_NUMBER: String(m.try_number),
      UPDRAFT_LOGICAL_DATE: ctx?.logical_date ?? '',
      UPDRAFT_DATA_INTERVAL_START: ctx?.data_interval_start ?? '',
      UPDRAFT_DATA_INTERVAL_END: ctx?.data_interval_end ?? '',
      UPDRAFT_DS: ctx?.ds ?? '',
    };
    const fd = openSync(logFile, 'a');
    // `sh -c 'umask "$0" && exec bash -c "$1"' <umask> <command>`: the umask applies to this task only.
    const child = spawn('/bin/sh', ['-c', 'umask "$0" && exec bash -c "$1"', spec.umask || s.umask, spec.bash_command], {
      cwd: tmpdir(),
      env,
      detached: true, // its own process group, so a kill takes its children too
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    r.attempt.pid = child.pid ?? 0;
    r.kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    if (r.killedByScheduler) r.kill();
    let timedOut = false;
    const timer = spec.execution_timeout_ms > 0
      ? setTimeout(() => {
        timedOut = true;
        r.kill?.();
      }, spec.execution_timeout_ms)
      : undefined;
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => {
      child.once('error', (err) => {
        log(`could not start bash: ${err.message}`);
        done([null, null]);
      });
      child.once('exit', (c, sig) => done([c, sig]));
    });
    clearTimeout(timer);
    if (code === 0) return end(true, 0, '');
    if (timedOut) return end(false, -1, `execution timeout of ${spec.execution_timeout_ms} ms exceeded`, true);
    return end(false, code ?? -1, code !== null ? `bash exited with code ${code}` : `killed by ${signal ?? 'an error'}`);
  };

  /** ReportTaskResult until it is accepted or refused for good; true when the message may be acked. */
  const report = async (m: TaskMessage, result: Result): Promise<boolean> => {
    for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
      try {
        const res = await scheduler.call<{ state: string }>('ReportTaskResult', {
          worker_id: workerId, key: m.key, try_number: m.try_number, attempt_token: m.attempt_token, ...result,
        });
        log(`reported ${m.key!.task_id} try ${m.try_number}: ${res.state}`);
        return true;
      } catch (err) {
        const code = statusOf(err);
        if (code === status.FAILED_PRECONDITION || code === status.NOT_FOUND) {
          log(`result refused as stale, discarded: ${describeError(err)}`);
          return true;
        }
        if (code === status.INVALID_ARGUMENT) {
          log(`result rejected as malformed, discarded: ${describeError(err)}`);
          return true;
        }
        // UNAVAILABLE, DEADLINE_EXCEEDED, UNAUTHENTICATED & co.: keep the result, keep the message, retry.
        if (giveUpReports) {
          log(`shutting down: result not reported (${describeError(err)}), message left unacked`);
          return false;
        }
        log(`ReportTaskResult failed (${describeError(err)}), retrying in ${delay} ms`);
        await sleep(delay);
      }
    }
  };

  /** One delivered message, from claim to ack (the rules of section 4). */
  const handle = async (msg: JsMsg, ackWaitMs: number): Promise<void> => {
    let m: TaskMessage;
    try {
      m = protocol.TaskMessage.deserialize(Buffer.from(msg.data));
      if (!m.key) throw new Error('no key');
    } catch (err) {
      log(`not a TaskMessage (${String(err)}): terminated`);
      msg.term();
      return;
    }
    const what = `${m.key.dag_id}/${m.key.run_id}/${m.key.task_id} try ${m.try_number}`;
    let claim: ClaimTaskResponse;
    try {
      claim = await scheduler.call<ClaimTaskResponse>('ClaimTask', {
        worker_id: workerId, key: m.key, try_number: m.try_number, attempt_token: m.attempt_token, hostname: hostname(),
      });
    } catch (err) {
      const code = statusOf(err);
      if (code === status.FAILED_PRECONDITION || code === status.NOT_FOUND || code === status.INVALID_ARGUMENT) {
        log(`claim of ${what} refused (${describeError(err)}): acked, nothing run`);
        await ack(msg);
      } else {
        if (code === status.UNAUTHENTICATED) stop(`ClaimTask: ${describeError(err)}`, 2);
        log(`claim of ${what} failed (${describeError(err)}): nak, redelivered in 5 s`);
        msg.nak(5000);
      }
      return;
    }
    log(`claimed ${what}`);
    const r: Running = { attempt: { key: m.key, try_number: m.try_number, attempt_token: m.attempt_token, pid: 0 }, killedByScheduler: false };
    running.set(m.attempt_token, r);
    const inProgress = setInterval(() => msg.working(), Math.max(1000, ackWaitMs / 3));
    try {
      const result = await execute(m, claim, r);
      if (r.killedByScheduler) {
        log(`${what} was ended by the scheduler: not reported, acked`);
        await ack(msg);
      } else if (await report(m, result)) {
        await ack(msg);
      }
    } finally {
      clearInterval(inProgress);
      running.delete(m.attempt_token);
      processed += 1;
    }
  };

  // 1. Register, 2. heartbeat from now on, 3. bind the queues, 4. one pull loop per slot.
  await register();
  const queues = new Map<string, { consumer: Consumer; ackWaitMs: number }>();
  for (const q of s.queues) {
    const { durable, ackWaitMs } = await bindQueue(jsm, s, q);
    queues.set(q, { consumer: await js.consumers.get(s.stream, durable), ackWaitMs });
  }
  let beating = true;
  const beats = (async () => {
    while (beating) {
      await heartbeat();
      await sleep(heartbeatMs);
    }
  })();

  const slot = async (n: number): Promise<void> => {
    for (let turn = n; !stopping; turn++) {
      const queue = s.queues[turn % s.queues.length]!; // rotate the starting queue on each pull
      const { consumer, ackWaitMs } = queues.get(queue)!;
      let msg: JsMsg | null;
      try {
        msg = await consumer.next({ expires: 5000 });
      } catch (err) {
        log(`pull from ${queue} failed (${String(err)}); retrying`);
        await sleep(1000);
        continue;
      }
      if (!msg) continue;
      if (stopping) {
        msg.nak(); // fetched but not claimed: give it back
        break;
      }
      busy += 1;
      try {
        await handle(msg, ackWaitMs);
      } finally {
        busy -= 1;
      }
    }
  };
  const slots = Array.from({ length: s.concurrency }, (_, i) => slot(i));

  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => stop(sig));
  log(`conformance worker ready: ${s.name} on ${s.queues.join(',')} (concurrency ${s.concurrency})`);

  // Shutdown: the slots end once their task is reported; past the grace period tasks are killed
  // (and reported failed), and reports still failing are given up.
  const everyoneDone = Promise.all(slots);
  await stopRequested;
  const grace = setTimeout(() => {
    log('grace period over: killing running tasks');
    for (const r of running.values()) r.kill?.();
    giveUpReports = true;
  }, SHUTDOWN_GRACE_MS);
  await everyoneDone;
  clearTimeout(grace);
  beating = false;
  await beats;
  try {
    await scheduler.call('DeregisterWorker', { worker_id: workerId });
    log('deregistered');
  } catch (err) {
    log(`DeregisterWorker failed: ${describeError(err)}`);
  }
  scheduler.close();
  await nc.drain();
  return exitCode;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = await runWorker(settings());
  } catch (err) {
    log(`conformance worker failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
