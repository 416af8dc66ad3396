/**
 * The fault matrix: each fault N times against one real stack (PostgreSQL, nats-server, an
 * `updraft scheduler` process, two `updraft worker` processes). Each repetition runs the fault DAG
 * to its end with the fault injected mid-run, then counts from the run's task instances and from
 * the tasks' own execution records (appended by the task processes themselves):
 *   tasks      task instances run,
 *   lost       tasks that did not end in success, or whose execution never completed,
 *   run twice  tasks whose execution completed more than once, or one try that started twice,
 *   retries    tries beyond the first (zombies retried, ...),
 *   recovery   fault -> every task it hit started again (or, for a restart, the next task start),
 *   takeover   (scheduler failover) kill of the leading scheduler -> the standby leads.
 * It also checks that no DAG run exists twice for one logical date.
 * Figures only: nothing here asserts a duration.
 */
import { ALL_FAULTS, EXTRA_FAULTS, type Fault, type Injection } from './faults.js';
import { FAULT_DAG, startFaultStack, waitFor, type ExecutionRecord, type FaultStack } from './stack.js';

export interface FaultRow {
  fault: string;
  repetitions: number;
  injected: number;
  tasks: number;
  lost: number;
  runTwice: number;
  retries: number;
  /** Longest recovery (ms); null when nothing recovered (see lost). */
  longestRecoveryMs: number | null;
  /** Longest scheduler takeover (ms); null for faults without one. */
  longestTakeoverMs: number | null;
  /** Problems seen (lost or doubled tasks, runs that did not end), for the report. */
  problems: string[];
}

export interface MatrixOptions {
  /** Repetitions of each fault. Default 1. */
  count?: number;
  /** Fault names to run (default all). */
  only?: string[];
  /** Progress lines. Default none. */
  log?: (line: string) => void;
  /** How long one run may take before it counts as stuck (its unfinished tasks lost). Default 180000. */
  runTimeoutMs?: number;
}

interface RunOutcome {
  tasks: number;
  lost: string[];
  runTwice: string[];
  retries: number;
  /** `<task> try <n>: <error>` of every try that did not succeed. */
  failedTries: string[];
  recoveryMs: number | null;
  state: string;
}

async function waitRunEnd(fs: FaultStack, runId: string, timeoutMs: number): Promise<string> {
  try {
    return await waitFor(`run ${runId} to end`, async () => {
      const rows = await fs.query<{ state: string }>('SELECT state FROM dag_run WHERE dag_id = $1 AND run_id = $2', [FAULT_DAG, runId]);
      const s = rows[0]?.state;
      return s === 'success' || s === 'failed' ? s : undefined;
    }, timeoutMs);
  } catch {
    return 'did not end';
  }
}

function recovery(records: ExecutionRecord[], injection: Injection): number | null {
  const after = records.filter((r) => r.event === 'start' && r.at >= injection.at);
  if (injection.affected === null) {
    const first = Math.min(...after.map((r) => r.at));
    return Number.isFinite(first) ? first - injection.at : null;
  }
  let longest = 0;
  for (const { taskId, afterTry } of injection.affected) {
    const first = Math.min(...after.filter((r) => r.taskId === taskId && r.tryNumber > afterTry).map((r) => r.at));
    if (!Number.isFinite(first)) return null;
    longest = Math.max(longest, first - injection.at);
  }
  return longest;
}

/** A task's execution records relative to the fault: tells a process that outlived the fault from a try that ended just before it. */
function timeline(records: ExecutionRecord[], taskId: string, injection: Injection): string {
  const rel = (at: number): string => `${at >= injection.at ? '+' : ''}${((at - injection.at) / 1000).toFixed(3)} s`;
  return records.filter((r) => r.taskId === taskId)
    .map((r) => `try ${r.tryNumber} ${r.event} ${rel(r.at)} pid ${r.pid}`).join(', ') + ' from the fault';
}

async function outcome(fs: FaultStack, runId: string, state: string, injection: Injection): Promise<RunOutcome> {
  const tis = await fs.query<{ task_id: string; state: string | null; try_number: number }>(
    'SELECT task_id, state, try_number FROM task_instance WHERE dag_id = $1 AND run_id = $2', [FAULT_DAG, runId]);
  const records = fs.records(runId);
  const count = (pred: (r: ExecutionRecord) => boolean): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of records.filter(pred)) m.set(r.taskId, (m.get(r.taskId) ?? 0) + 1);
    return m;
  };
  const ends = count((r) => r.event === 'end');
  const startsPerTry = new Map<string, number>();
  for (const r of records.filter((x) => x.event === 'start')) {
    const k = `${r.taskId} try ${r.tryNumber}`;
    startsPerTry.set(k, (startsPerTry.get(k) ?? 0) + 1);
  }
  const lost = tis.filter((t) => t.state !== 'success' || (ends.get(t.task_id) ?? 0) === 0)
    .map((t) => `${t.task_id} (${t.state ?? 'none'}, ${ends.get(t.task_id) ?? 0} completed executions)`);
  const twice = [
    ...[...ends].filter(([, n]) => n > 1).map(([t, n]) => `${t} completed ${n} times (${timeline(records, t, injection)})`),
    ...[...startsPerTry].filter(([, n]) => n > 1).map(([k, n]) => `${k} started ${n} times`),
  ];
  const failed = await fs.query<{ task_id: string; try_number: number; error: string | null }>(
    `SELECT task_id, try_number, error FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND state IS DISTINCT FROM 'success'
     ORDER BY task_id, try_number`, [FAULT_DAG, runId]);
  return {
    failedTries: failed.map((t) => `${t.task_id} try ${t.try_number}: ${t.error ?? '(no error)'}`),
    tasks: tis.length,
    lost,
    runTwice: twice,
    retries: tis.reduce((n, t) => n + Math.max(0, t.try_number - 1), 0),
    recoveryMs: recovery(records, injection),
    state,
  };
}

/** Runs the matrix on a fresh stack; resolves with one row per fault. */
export async function runFaultMatrix(o: MatrixOptions = {}): Promise<FaultRow[]> {
  const count = o.count ?? 1;
  const log = o.log ?? (() => undefined);
  const named = [...ALL_FAULTS, ...EXTRA_FAULTS];
  const faults: Fault[] = o.only?.length ? named.filter((f) => o.only!.some((n) => f.name === n || (f.name.startsWith(n) && !EXTRA_FAULTS.includes(f)))) : ALL_FAULTS;
  if (faults.length === 0) throw new Error(`no fault matches ${o.only?.join(', ')} (faults: ${named.map((f) => f.name).join(', ')})`);
  log('starting the stack (PostgreSQL, nats-server, scheduler, two workers; a second scheduler for scheduler failover)');
  const fs = await startFaultStack();
  const rows: FaultRow[] = [];
  try {
    for (const fault of faults) {
      const row: FaultRow = {
        fault: fault.name, repetitions: count, injected: 0, tasks: 0, lost: 0, runTwice: 0, retries: 0,
        longestRecoveryMs: null, longestTakeoverMs: null, problems: [],
      };
      for (let i = 1; i <= count; i++) {
        const runId = await fs.stack.trigger(FAULT_DAG);
        const injection = await fault.inject(fs, runId);
        const state = await waitRunEnd(fs, runId, o.runTimeoutMs ?? 180_000);
        const r = await outcome(fs, runId, state, injection);
        await injection.after?.();
        for (const ms of injection.takeoversMs ?? []) row.longestTakeoverMs = Math.max(row.longestTakeoverMs ?? 0, ms);
        row.problems.push(...(injection.problems ?? []).map((p) => `${runId}: ${p}`));
        const doubled = await fs.query<{ dag_id: string; logical_date: Date; n: number }>(
          'SELECT dag_id, logical_date, count(*)::int AS n FROM dag_run GROUP BY dag_id, logical_date HAVING count(*) > 1');
        row.problems.push(...doubled.map((d) => `${d.dag_id} has ${d.n} runs for ${d.logical_date.toISOString()}`));
        row.injected += injection.count;
        row.tasks += r.tasks;
        row.lost += r.lost.length;
        row.runTwice += r.runTwice.length;
        row.retries += r.retries;
        if (r.recoveryMs !== null) row.longestRecoveryMs = Math.max(row.longestRecoveryMs ?? 0, r.recoveryMs);
        if (state !== 'success') row.problems.push(`${runId}: run ${state}`);
        row.problems.push(...r.lost.map((t) => `${runId}: lost ${t}`), ...r.runTwice.map((t) => `${runId}: ${t}`));
        log(`${fault.name} #${i}: run ${state}, ${r.tasks} tasks, ${injection.count} injected, lost ${r.lost.length}, ` +
          `run twice ${r.runTwice.length}, retries ${r.retries}, recovery ${r.recoveryMs === null ? '-' : `${(r.recoveryMs / 1000).toFixed(1)} s`}` +
          (injection.takeoversMs?.length ? `, takeovers ${injection.takeoversMs.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(' ')}` : '') +
          r.failedTries.map((t) => `\n    ${t}`).join(''));
      }
      rows.push(row);
    }
  } finally {
    await fs.stop();
  }
  return rows;
}

/** The matrix as a plain-text table. */
export function formatMatrix(rows: FaultRow[]): string {
  const header = ['fault', 'runs', 'faults injected', 'tasks', 'lost', 'run twice', 'retries', 'longest recovery', 'longest takeover'];
  const body = rows.map((r) => [
    r.fault, String(r.repetitions), String(r.injected), String(r.tasks), String(r.lost), String(r.runTwice), String(r.retries),
    r.longestRecoveryMs === null ? '-' : `${(r.longestRecoveryMs / 1000).toFixed(1)} s`,
    r.longestTakeoverMs === null ? '-' : `${(r.longestTakeoverMs / 1000).toFixed(2)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  const problems = rows.flatMap((r) => r.problems.map((p) => `  ${r.fault}: ${p}`));
  if (problems.length > 0) out.push('', 'problems:', ...problems);
  return out.join('\n');
}
