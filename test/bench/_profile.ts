/**
 * BENCH_CPU_PROF=DIR: the workers (and their runner processes, with UPDRAFT_PROFILE_RUNNERS=1)
 * write V8 CPU profiles (`--cpu-prof`) into DIR, and at the end the bench prints, per kind of process, the functions
 * that took most CPU of their own (self time). The .cpuprofile files open in Chrome's DevTools
 * as flame graphs. Profile the scheduler (in the bench process) with `node --cpu-prof`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The folder, read when asked: `npm run bench -- --cpu-prof` sets BENCH_CPU_PROF after this module
 * was loaded (a constant read at load left the workers unprofiled).
 */
const profileDir = (): string | undefined => process.env.BENCH_CPU_PROF;

/**
 * BENCH_CPU_PROF_INTERVAL_US: microseconds between samples (V8's default: 1000). A hop of a chain
 * holds about a millisecond of JavaScript per process: 50 shows which functions take it.
 */
export const PROFILE_INTERVAL_US = process.env.BENCH_CPU_PROF_INTERVAL_US === undefined ? undefined : Number(process.env.BENCH_CPU_PROF_INTERVAL_US);

/** Node arguments that make a worker (and its runners) write CPU profiles, or none. */
export function profileArgs(): { nodeArgs?: string[] } {
  const dir = profileDir();
  if (dir === undefined) return {};
  const interval = PROFILE_INTERVAL_US === undefined ? [] : [`--cpu-prof-interval=${PROFILE_INTERVAL_US}`];
  return { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...interval] };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time per function over the profiles in BENCH_CPU_PROF, grouped by what the process ran. */
export function profileSummary(top = 12): string[] {
  const dir = profileDir();
  if (dir === undefined) return [];
  const groups = new Map<string, { ms: number; files: number; self: Map<string, number> }>();
  let skipped = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    let profile: CpuProfile;
    try {
      profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    } catch {
      // A process killed while writing its profile (a runner ended with its worker) leaves a cut file.
      skipped++;
      continue;
    }
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000));
    const kind = profile.nodes.some((n) => n.callFrame.url.includes('runner-child')) ? 'runner' : 'worker';
    const g = groups.get(kind) ?? { ms: 0, files: 0, self: new Map<string, number>() };
    g.files++;
    for (const [id, ms] of self) {
      const frame = byId.get(id)!.callFrame;
      const where = frame.url === '' ? '' : ` ${frame.url.replace(/^.*\/(packages|node_modules)\//, '$1/')}:${frame.lineNumber + 1}`;
      const key = `${frame.functionName || '(anonymous)'}${where}`;
      g.self.set(key, (g.self.get(key) ?? 0) + ms);
      if (frame.functionName !== '(idle)') g.ms += ms;
    }
    groups.set(kind, g);
  }
  const out: string[] = [];
  for (const [kind, g] of groups) {
    out.push(`${kind} processes (${g.files} profiles): ${g.ms.toFixed(0)} ms of CPU outside idle; most self time:`);
    const sorted = [...g.self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top);
    for (const [key, ms] of sorted) out.push(`  ${ms.toFixed(0).padStart(7)} ms ${(100 * ms / g.ms).toFixed(1).padStart(5)}%  ${key}`);
  }
  if (skipped > 0) out.push(`${skipped} profile(s) left out: cut short (the process was killed while writing it)`);
  return out;
}
