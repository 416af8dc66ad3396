/**
 * CPU time per component of a running stack, from /proc: a process's own time plus that of its
 * reaped children (cutime/cstime), plus its live descendants. Sampled before and after a run, the
 * difference divided by the number of tasks gives CPU ms per task - the figure that bounds
 * throughput on a 2-core machine (2,000 tasks/s leaves 1 ms of CPU per task for everything) and
 * that, unlike wall time, barely depends on what else the machine is doing.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ = 100 on Linux

interface ProcInfo {
  pid: number;
  ppid: number;
  /** utime + stime, in ms. */
  ownMs: number;
  /** utime + stime + cutime + cstime, in ms. */
  cpuMs: number;
  /** read + write system calls (/proc/<pid>/io syscr + syscw; 0 when unreadable). */
  syscalls: number;
  /** Times one of its threads went to sleep waiting (voluntary context switches of every thread), read only when asked. */
  waits: number;
  cmdline: string;
}

function readProcs(withWaits = false): Map<number, ProcInfo> {
  const out = new Map<number, ProcInfo>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after "(comm)": state is field 3; ppid 4; utime 14, stime 15, cutime 16, cstime 17.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const n = (i: number): number => Number(rest[i - 3]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.set(Number(entry), {
        pid: Number(entry), ppid: n(4), ownMs: (n(14) + n(15)) * TICK_MS, cpuMs: (n(14) + n(15) + n(16) + n(17)) * TICK_MS,
        syscalls: ioCalls(entry), waits: withWaits ? threadWaits(entry) : 0, cmdline,
      });
    } catch {
      // gone
    }
  }
  return out;
}

function ioCalls(pid: string): number {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return Number(/syscr: (\d+)/.exec(io)?.[1] ?? 0) + Number(/syscw: (\d+)/.exec(io)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function threadWaits(pid: string): number {
  let n = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      n += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the thread ended
    }
  }
  return n;
}

/** `field` summed over `roots` and their live descendants (dead ones are in their parents' cutime once reaped, for CPU). */
function treeSum(procs: Map<number, ProcInfo>, roots: number[], field: 'cpuMs' | 'syscalls' | 'waits'): number {
  const children = new Map<number, number[]>();
  for (const p of procs.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  let total = 0;
  const stack = [...roots];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += procs.get(pid)?.[field] ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/**
 * A component: its processes' trees (`tree`), only their own time (`own`: e.g. this process, whose
 * children are other components), or their descendants without them (`descendants`).
 */
export type Component = { tree: number[] } | { own: number[] } | { descendants: number[] };

export type Components = Record<string, Component>;

/** Finds pids by a substring of their command line. */
export function pidsMatching(text: string): number[] {
  return [...readProcs().values()].filter((p) => p.cmdline.includes(text)).map((p) => p.pid);
}

/** Per component: `tree` sums `treeField` over the trees, `own` sums `ownField` of the processes alone. */
function snapshot(components: Components, treeField: 'cpuMs' | 'syscalls' | 'waits', ownField: 'ownMs' | 'syscalls' | 'waits'): Record<string, number> {
  const procs = readProcs(treeField === 'waits');
  const out: Record<string, number> = {};
  for (const [name, c] of Object.entries(components)) {
    const own = (pids: number[]): number => pids.reduce((n, pid) => n + (procs.get(pid)?.[ownField] ?? 0), 0);
    if ('tree' in c) out[name] = treeSum(procs, c.tree, treeField);
    else if ('own' in c) out[name] = own(c.own);
    else out[name] = treeSum(procs, c.descendants, treeField) - own(c.descendants);
  }
  return out;
}

export function cpuSnapshot(components: Components): Record<string, number> {
  return snapshot(components, 'cpuMs', 'ownMs');
}

/**
 * Read and write system calls per component (live processes only): each one on a socket or a pipe
 * is a message to another process, which it wakes up - on this machine the cost that follows the
 * number of messages per task, and a count that does not depend on how busy the machine is.
 */
export function syscallSnapshot(components: Components): Record<string, number> {
  return snapshot(components, 'syscalls', 'syscalls');
}

/**
 * Times a thread of each component went to sleep to wait (voluntary context switches of every
 * thread; live processes only). Each is a wake-up later. On this machine what a process does after
 * a few idle milliseconds takes longer (its virtual CPU halted, its caches went cold): a message
 * to another process and back took 0.13 ms at p50 back to back and 0.4 ms after 10 ms idle, and
 * every process's part of a hop between tasks that sleep 10 ms takes 1.1-1.5 times as long as
 * between no-op tasks.
 */
export function waitSnapshot(components: Components): Record<string, number> {
  return snapshot(components, 'waits', 'waits');
}

/** CPU ms per task over all components. */
export function cpuTotalPerTask(before: Record<string, number>, after: Record<string, number>, tasks: number): number {
  return Object.keys(after).reduce((n, k) => n + (after[k] ?? 0) - (before[k] ?? 0), 0) / tasks;
}

/** "scheduler 0.31, workers 0.52, ... = 1.90 <unit>": each component's change divided by `tasks`. */
function perTask(before: Record<string, number>, after: Record<string, number>, tasks: number, digits: number, unit: string): string {
  const parts = Object.keys(after).map((k) => [k, ((after[k] ?? 0) - (before[k] ?? 0)) / tasks] as const);
  const total = parts.reduce((n, [, v]) => n + v, 0);
  return `${parts.map(([k, v]) => `${k} ${v.toFixed(digits)}`).join(', ')} = ${total.toFixed(digits)} ${unit}`;
}

/** "scheduler 0.31, workers 0.52, ... = 1.90 ms CPU per task". */
export function cpuPerTask(before: Record<string, number>, after: Record<string, number>, tasks: number): string {
  return perTask(before, after, tasks, 2, 'ms CPU per task');
}

/** "scheduler 2.0, workers 4.1, ... = 9.5 waits per task". */
export function waitsPerTask(before: Record<string, number>, after: Record<string, number>, tasks: number): string {
  return perTask(before, after, tasks, 1, 'waits (wake-ups) per task');
}

/** "scheduler 2.1, workers 6.3, ... = 14.2 read/write system calls per task". */
export function syscallsPerTask(before: Record<string, number>, after: Record<string, number>, tasks: number): string {
  return perTask(before, after, tasks, 1, 'read/write system calls per task');
}
