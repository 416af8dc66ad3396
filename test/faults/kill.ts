/**
 * kill -9 as a host crash does it: the process and every process below it, found through /proc
 * (task processes lead their own process groups, so killing one group would leave them running).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of `pid` and all its descendants, parents first. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // `pid (comm) state ppid ...`: comm may contain spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // ended meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

/**
 * SIGKILL to `pid` and all its descendants, as if their host died. They are frozen first (SIGSTOP,
 * until no new descendant appears) so that none can fork a child between the listing and the kill
 * (such a child would survive as an orphan, which a host crash never leaves).
 */
export function killHost(pid: number): void {
  let seen = new Set<number>();
  for (;;) {
    const tree = processTree(pid);
    for (const p of tree) if (!seen.has(p)) signal(p, 'SIGSTOP');
    if (tree.every((p) => seen.has(p))) break;
    seen = new Set([...seen, ...tree]);
  }
  for (const p of seen) signal(p, 'SIGKILL');
}

/** True while `pid` runs (a zombie, ended but not reaped, counts as ended). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
