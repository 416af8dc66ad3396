/**
 * `npm run bench -- --cpu-prof[=DIR] NAME`: CPU profiles of everything a bench runs. Sets
 * BENCH_CPU_PROF (default DIR: bench-profiles), so the worker processes (and their runners, with
 * UPDRAFT_PROFILE_RUNNERS=1: profiled runners burn CPU while idle) write V8 profiles there (see _profile.ts), and profiles this process - the in-process scheduler and
 * the bench itself - with node:inspector, written there as bench-<pid>.cpuprofile at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';
import { PROFILE_INTERVAL_US } from './_profile.js';

/** Starts profiling if the flag was given; the returned function writes this process's profile and says where. */
export async function startCpuProfFlag(args: string[]): Promise<(() => Promise<void>) | undefined> {
  const flag = args.find((a) => a === '--cpu-prof' || a.startsWith('--cpu-prof='));
  if (flag === undefined) return undefined;
  const dir = resolve(flag.includes('=') ? flag.slice('--cpu-prof='.length) : 'bench-profiles');
  mkdirSync(dir, { recursive: true });
  process.env.BENCH_CPU_PROF = dir;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  if (PROFILE_INTERVAL_US !== undefined) await session.post('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    const file = join(dir, `bench-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    process.stdout.write(`CPU profiles in ${dir} (this process, with the in-process scheduler: ${file}); open them in Chrome DevTools\n`);
  };
}
