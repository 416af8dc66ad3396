/**
 * The WorkerService under bad input, against a real `updraft scheduler` (PostgreSQL, NATS). A
 * seeded fuzzer sends valid requests with one to three fields mutated (empty, huge, NUL, control
 * characters, path parts, wrong numbers, too many list entries), bytes that are not protobuf, and
 * one message over the server's size limit. Bad input must be refused for what it is, never
 * answered with a code the protocol tells workers to retry (UNAVAILABLE, INTERNAL, UNKNOWN) or
 * left to its deadline, never with a long message, and never crash the scheduler.
 *
 * Prints: calls sent, answers by code, retryable answers to bad input (must be 0), crashes (must
 * be 0). Bounded: RPC_FUZZ_CALLS calls (default 600), seed RPC_FUZZ_SEED (default fixed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { createWorkerServiceClient, proto, RPC_LIMITS, type WorkerServiceRpcClient } from '@updraft/core';
import { UpdraftRpcError } from '@updraft/core/internal';
import { startStack, type Stack } from '../e2e/stack.js';

const CALLS = Number(process.env.RPC_FUZZ_CALLS ?? 600);
const SEED = Number(process.env.RPC_FUZZ_SEED ?? 20240601);
/** Codes a worker retries: bad input must never get one of these. */
const RETRYABLE = new Set([status.UNAVAILABLE, status.INTERNAL, status.UNKNOWN, status.DEADLINE_EXCEEDED, status.DATA_LOSS]);

/** mulberry32: a small seeded generator, so a failing run can be repeated with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function randomText(): string {
  const length = 1 + Math.floor(random() * 40);
  return Array.from({ length }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
}

const BAD_STRINGS: ReadonlyArray<() => string> = [
  () => '',
  () => 'a\0b',
  () => '\0',
  () => 'a\tb',
  () => 'line\nbreak',
  () => '\r',
  () => '\x1b[31mred',
  () => 'a/b',
  () => '.',
  () => '..',
  () => '../../etc/passwd',
  () => 'a\\b',
  () => 'has space',
  () => '-x',
  () => 'x'.repeat(251),
  () => 'x'.repeat(100_000),
  () => 'ümlaut',
  () => '🙂',
  () => '\uD800',
  () => "'; DROP TABLE worker; --",
  () => '%00',
  randomText,
];
const BAD_INTS = [-1, -2, 0, 2147483647, -2147483648];
const BAD_DOUBLES = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 1e308];

type Path = ReadonlyArray<string | number>;
interface MethodSpec {
  name: 'registerWorker' | 'heartbeat' | 'claimTask' | 'reportTaskResult' | 'deregisterWorker' | 'fetchDagFile'
    | 'getConnection' | 'getVariable' | 'getXCom' | 'pushXCom';
  base: () => Record<string, unknown>;
  strings: Path[];
  ints: Path[];
  doubles: Path[];
  /** Whole-value mutations (lists too long, JSON that cannot be stored, ...). */
  specials: Array<[Path, () => unknown]>;
}

/** Sets the field at `path`; false (nothing set) when an earlier mutation removed its parent. */
function setPath(obj: Record<string, unknown>, path: Path, value: unknown): boolean {
  let at: unknown = obj;
  for (const part of path.slice(0, -1)) {
    if (typeof at !== 'object' || at === null) return false;
    at = (at as Record<string | number, unknown>)[part];
  }
  if (typeof at !== 'object' || at === null) return false;
  (at as Record<string | number, unknown>)[path.at(-1)!] = value;
  return true;
}

interface Outcome {
  code: status;
  details: string;
  method: string;
  mutations: string;
}

let stack: Stack;
let client: WorkerServiceRpcClient;
let raw: Client;
let workerId: string;
let attempt: { key: proto.TaskInstanceKey; tryNumber: number; attemptToken: string };

beforeAll(async () => {
  stack = await startStack({ dagFiles: ['test/fixtures/dags-cli/cli_hello.ts'], workers: [] });
  client = createWorkerServiceClient({ address: stack.grpcAddress, token: stack.token });
  raw = new Client(stack.grpcAddress, credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024 });
  const registered = await client.registerWorker({
    workerName: 'fuzz-base', hostname: 'fuzz-host', queues: ['default'], concurrency: 4, version: 'fuzz', umask: '0022', uid: 0, gid: 0, pid: 1,
  });
  workerId = registered.workerId;
  await stack.trigger('cli_hello');
  // With no worker serving it, the first task stays queued: a real attempt to aim mutations at.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await stack.pool.query<{ dag_id: string; run_id: string; task_id: string; map_index: number; try_number: number; attempt_token: string }>(
      `SELECT dag_id, run_id, task_id, map_index, try_number, attempt_token::text FROM task_instance WHERE state = 'queued' LIMIT 1`);
    const row = r.rows[0];
    if (row) {
      attempt = { key: { dagId: row.dag_id, runId: row.run_id, taskId: row.task_id, mapIndex: row.map_index }, tryNumber: row.try_number, attemptToken: row.attempt_token };
      break;
    }
    if (Date.now() > deadline) throw new Error(`no task of cli_hello got queued within 30 s\n${stack.diagnostics()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  client?.close();
  raw?.close();
  await stack?.stop();
});

/** The fields every task-scoped call (secrets, XCom) carries to name its attempt. */
const ATTEMPT_STRINGS: Path[] = [['workerId'], ['key', 'dagId'], ['key', 'runId'], ['key', 'taskId'], ['attemptToken']];
const ATTEMPT_INTS: Path[] = [['tryNumber'], ['key', 'mapIndex']];

const METHODS: MethodSpec[] = [
  {
    name: 'registerWorker',
    base: () => ({ workerName: `fuzz-${Math.floor(random() * 1e6)}`, hostname: 'h', queues: ['default'], concurrency: 2, version: '1', umask: '0022', uid: 0, gid: 0, pid: 2 }),
    strings: [['workerName'], ['hostname'], ['version'], ['umask'], ['queues', 0]],
    ints: [['concurrency'], ['uid'], ['gid'], ['pid']],
    doubles: [],
    specials: [[['queues'], () => []], [['queues'], () => Array.from({ length: 200 }, (_, i) => `q${i}`)], [['concurrency'], () => 1_000_000]],
  },
  {
    name: 'heartbeat',
    base: () => ({
      workerId, running: [{ ...attempt, key: { ...attempt.key }, pid: 0 }], freeSlots: 1, load1: 0, load5: 0, load15: 0, processed: 0, concurrency: 1,
      queues: ['default'], cpuPercent: 0, rssBytes: 0, paused: false, acknowledgedControls: [],
    }),
    strings: [['workerId'], ['running', 0, 'key', 'dagId'], ['running', 0, 'key', 'runId'], ['running', 0, 'key', 'taskId'], ['running', 0, 'attemptToken']],
    ints: [['freeSlots'], ['running', 0, 'tryNumber'], ['running', 0, 'key', 'mapIndex'], ['running', 0, 'pid'], ['concurrency']],
    doubles: [['load1'], ['load5'], ['load15'], ['cpuPercent']],
    specials: [
      [['running', 0, 'key'], () => undefined],
      [['queues'], () => Array.from({ length: 200 }, (_, i) => `q${i}`)],
      [['rssBytes'], () => -1],
      [['running'], () => Array.from({ length: RPC_LIMITS.runningPerHeartbeat + 1 }, () => ({ ...attempt, pid: 0 }))],
      [['processed'], () => -1],
    ],
  },
  {
    name: 'claimTask',
    base: () => ({ workerId, ...attempt, key: { ...attempt.key }, hostname: 'h' }),
    strings: [['workerId'], ['key', 'dagId'], ['key', 'runId'], ['key', 'taskId'], ['attemptToken'], ['hostname']],
    ints: [['tryNumber'], ['key', 'mapIndex']],
    doubles: [],
    specials: [[['key'], () => undefined]],
  },
  {
    name: 'reportTaskResult',
    base: () => ({
      workerId, ...attempt, key: { ...attempt.key }, outcome: proto.TaskOutcome.TASK_OUTCOME_FAILED, exitCode: 1, error: 'boom',
      durationMs: 5, returnValueJson: '', timedOut: false, pid: 0, handoff: { queues: ['default'], hostname: 'h' },
    }),
    strings: [['workerId'], ['key', 'dagId'], ['key', 'runId'], ['key', 'taskId'], ['attemptToken'], ['error'], ['returnValueJson'],
      ['handoff', 'hostname'], ['handoff', 'queues', 0]],
    ints: [['tryNumber'], ['key', 'mapIndex'], ['exitCode'], ['outcome'], ['pid']],
    doubles: [['durationMs']],
    specials: [
      [['outcome'], () => 99],
      [['returnValueJson'], () => '{"a":"\\u0000"}'],
      [['returnValueJson'], () => 'not json'],
      [['returnValueJson'], () => '["\\udc00"]'],
      [['returnValueJson'], () => JSON.stringify('v'.repeat(RPC_LIMITS.returnValueJsonLength))],
      [['error'], () => 'e'.repeat(RPC_LIMITS.errorLength + 1)],
    ],
  },
  { name: 'deregisterWorker', base: () => ({ workerId: 'no-such-worker' }), strings: [['workerId']], ints: [], doubles: [], specials: [] },
  { name: 'fetchDagFile', base: () => ({ fileHash: 'f'.repeat(64) }), strings: [['fileHash']], ints: [], doubles: [], specials: [] },
  {
    name: 'getConnection',
    base: () => ({ workerId, ...attempt, key: { ...attempt.key }, connId: 'fuzz_conn' }),
    strings: [...ATTEMPT_STRINGS, ['connId']],
    ints: ATTEMPT_INTS,
    doubles: [],
    specials: [[['key'], () => undefined]],
  },
  {
    name: 'getVariable',
    base: () => ({ workerId, ...attempt, key: { ...attempt.key }, variableKey: 'fuzz_var' }),
    strings: [...ATTEMPT_STRINGS, ['variableKey']],
    ints: ATTEMPT_INTS,
    doubles: [],
    specials: [[['key'], () => undefined]],
  },
  {
    name: 'getXCom',
    base: () => ({ workerId, ...attempt, key: { ...attempt.key }, taskId: attempt.key.taskId, xcomKey: '' }),
    strings: [...ATTEMPT_STRINGS, ['taskId'], ['xcomKey']],
    ints: [...ATTEMPT_INTS, ['mapIndex']],
    doubles: [],
    specials: [[['key'], () => undefined], [['xcomKey'], () => 'k'.repeat(RPC_LIMITS.xcomKeyLength + 1)]],
  },
  {
    name: 'pushXCom',
    base: () => ({ workerId, ...attempt, key: { ...attempt.key }, xcomKey: 'fuzz', valueJson: '{"n":1}' }),
    strings: [...ATTEMPT_STRINGS, ['xcomKey'], ['valueJson']],
    ints: ATTEMPT_INTS,
    doubles: [],
    specials: [
      [['key'], () => undefined],
      [['valueJson'], () => '{"a":"\\u0000"}'],
      [['valueJson'], () => '{"a":'],
      [['valueJson'], () => '{"a":"\\ud800"}'],
      [['valueJson'], () => JSON.stringify('v'.repeat(RPC_LIMITS.returnValueJsonLength))],
      [['xcomKey'], () => ''],
    ],
  },
];

/** One mutated request: 1 to 3 mutations of the method's fields. */
function mutated(spec: MethodSpec): { req: Record<string, unknown>; mutations: string } {
  const req = spec.base();
  const applied: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const kinds = [
      ...(spec.strings.length ? ['string'] : []), ...(spec.ints.length ? ['int'] : []),
      ...(spec.doubles.length ? ['double'] : []), ...(spec.specials.length ? ['special'] : []),
    ];
    const kind = pick(kinds);
    if (kind === 'string') {
      const path = pick(spec.strings);
      const value = pick(BAD_STRINGS)();
      if (setPath(req, path, value)) applied.push(`${path.join('.')}=${JSON.stringify(value.slice(0, 20))}${value.length > 20 ? `(${value.length})` : ''}`);
    } else if (kind === 'int') {
      const path = pick(spec.ints);
      const value = pick(BAD_INTS);
      if (setPath(req, path, value)) applied.push(`${path.join('.')}=${value}`);
    } else if (kind === 'double') {
      const path = pick(spec.doubles);
      const value = pick(BAD_DOUBLES);
      if (setPath(req, path, value)) applied.push(`${path.join('.')}=${value}`);
    } else {
      const [path, make] = pick(spec.specials);
      if (setPath(req, path, make())) applied.push(`${path.join('.')}=<special>`);
    }
  }
  return { req, mutations: applied.join(' ') };
}

async function send(spec: MethodSpec, req: Record<string, unknown>, mutations: string): Promise<Outcome> {
  const call = client[spec.name] as (r: unknown) => Promise<unknown>;
  try {
    await call.call(client, req);
    return { code: status.OK, details: '', method: spec.name, mutations };
  } catch (err) {
    if (!(err instanceof UpdraftRpcError)) throw err;
    const cause = err.cause as Partial<ServiceError> | undefined;
    return { code: err.grpcCode, details: typeof cause?.details === 'string' ? cause.details : err.message, method: spec.name, mutations };
  }
}

/** Bytes straight onto the wire, past the client's encoder. */
function sendRaw(method: string, payload: Buffer): Promise<Outcome> {
  const md = new Metadata();
  md.set('authorization', `Bearer ${stack.token}`);
  const path = `/updraft.v1.WorkerService/${method}`;
  return new Promise((resolve) => {
    raw.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, payload, md, { deadline: Date.now() + 10_000 }, (err) => {
      resolve({ code: err ? (err.code as status) : status.OK, details: err?.details ?? '', method, mutations: `raw ${payload.length} bytes` });
    });
  });
}

function randomBytes(n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
}

describe('WorkerService fuzzing', () => {
  it('refuses bad input as bad input, quickly, with short messages, and keeps serving', async () => {
    const outcomes: Outcome[] = [];
    const started = Date.now();
    const rawShare = Math.floor(CALLS / 10);
    for (let i = 0; i < CALLS - rawShare; i += 20) {
      const batch = Array.from({ length: Math.min(20, CALLS - rawShare - i) }, () => {
        const spec = pick(METHODS);
        const { req, mutations } = mutated(spec);
        return send(spec, req, mutations);
      });
      outcomes.push(...(await Promise.all(batch)));
    }
    const rawMethods = ['RegisterWorker', 'Heartbeat', 'ClaimTask', 'ReportTaskResult', 'DeregisterWorker', 'FetchDagFile',
      'GetConnection', 'GetVariable', 'GetXCom', 'PushXCom'];
    for (let i = 0; i < rawShare; i++) {
      const valid = Buffer.from(proto.ClaimTaskRequest.encode({ workerId, ...attempt, hostname: 'h' }).finish());
      const payload = i % 3 === 0 ? valid.subarray(0, Math.floor(random() * valid.length)) : randomBytes(1 + Math.floor(random() * 64));
      outcomes.push(await sendRaw(pick(rawMethods), payload));
    }
    // One message over the server's limit: the transport refuses it before decoding.
    const oversized = await sendRaw('ClaimTask', Buffer.from(proto.ClaimTaskRequest.encode({
      workerId, ...attempt, hostname: 'h'.repeat(RPC_LIMITS.maxRequestBytes + 1024),
    }).finish()));
    const elapsedMs = Date.now() - started;

    const byCode = new Map<string, number>();
    for (const o of [...outcomes, oversized]) byCode.set(status[o.code]!, (byCode.get(status[o.code]!) ?? 0) + 1);
    const retryable = outcomes.filter((o) => RETRYABLE.has(o.code));
    const longest = outcomes.reduce((max, o) => Math.max(max, o.details.length), 0);
    const crashes = stack.scheduler!.hasExited() ? 1 : 0;
    process.stdout.write(
      `gRPC fuzz (seed ${SEED}): ${outcomes.length + 1} calls sent in ${(elapsedMs / 1000).toFixed(1)} s\n` +
        `  answers by code: ${[...byCode].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}\n` +
        `  UNAVAILABLE / INTERNAL / UNKNOWN / DEADLINE_EXCEEDED from bad input: ${retryable.length}\n` +
        `  scheduler crashes: ${crashes}\n` +
        `  longest error message: ${longest} characters\n`,
    );

    expect(retryable.map((o) => `${o.method} [${o.mutations}] -> ${status[o.code]}: ${o.details.slice(0, 300)}`)).toEqual([]);
    expect(crashes, stack.diagnostics()).toBe(0);
    expect(longest).toBeLessThan(2000);
    expect(oversized.code).toBe(status.RESOURCE_EXHAUSTED);
    // Database errors never travel back to the caller.
    expect(outcomes.filter((o) => /SQLSTATE|invalid byte sequence|violates|syntax error at/i.test(o.details)).map((o) => o.details)).toEqual([]);
    // Nothing the fuzzer sent got stored under a name outside the grammar.
    const badWorkers = await stack.pool.query(
      `SELECT worker_name, hostname FROM worker WHERE worker_name !~ '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,249}$' OR hostname ~ '[\x01-\x1f\x7f]' OR version ~ '[\x01-\x1f\x7f]'`);
    expect(badWorkers.rows).toEqual([]);
    // Still serving.
    await expect(client.fetchDagFile({ fileHash: 'f'.repeat(64) })).rejects.toMatchObject({ grpcCode: status.NOT_FOUND });
  });

  it('refuses an oversized id at once with INVALID_ARGUMENT naming the field, the value cut short', async () => {
    const huge = 'r'.repeat(100_000);
    const answer = await send(METHODS[2]!, { workerId, ...attempt, key: { ...attempt.key, runId: huge }, hostname: 'h' }, 'key.run_id=100 KB');
    expect(answer.code).toBe(status.INVALID_ARGUMENT);
    expect(answer.details).toMatch(/^ClaimTask: key\.run_id 'r{80}\.\.\.' \(100000 characters\) is not a valid run id: it is 100000 characters long \(at most 250\)/);
    expect(answer.details.length).toBeLessThan(500);

    // Each forbidden class: INVALID_ARGUMENT with the field, the problem and the rule.
    const classes: Array<[string, RegExp]> = [
      ['a/b', /it contains '\/' \(U\+002F\)/], ['..', /it starts with '\.'/], ['a\tb', /it contains "\\t"/],
      ['a\nb', /it contains "\\n"/], ['a\0b', /it contains "\\u0000"/], ['x'.repeat(251), /it is 251 characters long \(at most 250\)/],
    ];
    for (const [runId, why] of classes) {
      const refused = await send(METHODS[2]!, { workerId, ...attempt, key: { ...attempt.key, runId }, hostname: 'h' }, 'key.run_id');
      expect(refused.code).toBe(status.INVALID_ARGUMENT);
      expect(refused.details).toMatch(/^ClaimTask: key\.run_id '.*' .*is not a valid run id: /);
      expect(refused.details).toMatch(why);
      expect(refused.details).toContain("a run id is 1-250 characters: letters, digits, '_', '.', '-', '~', ':' and '+'");
    }

    const nul = await send(METHODS[0]!, { workerName: 'a\0b', hostname: 'h', queues: ['default'], concurrency: 1, version: '', umask: '', uid: 0, gid: 0, pid: 0 }, 'NUL');
    expect(nul.code).toBe(status.INVALID_ARGUMENT);
    expect(nul.details).toContain('worker_name \'a\\u0000b\' is not a valid worker name: it contains "\\u0000" (U+0000) at position 2');

    const hostname = await send(METHODS[0]!, { workerName: 'ok', hostname: 'h\0', queues: ['default'], concurrency: 1, version: '', umask: '', uid: 0, gid: 0, pid: 0 }, 'NUL');
    expect(hostname).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('hostname') });
  });
});
