/**
 * Benchmark entry: `npm run bench -- <name>...` runs test/bench/<name>.ts, `npm run bench` runs
 * them all. A bench module exports `run(): Promise<void>` and prints its own figures; figures
 * recorded for the summary line (_summary.ts) are printed last. `--cpu-prof[=DIR]` writes CPU
 * profiles (_cpu-prof-flag.ts).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startCpuProfFlag } from './_cpu-prof-flag.js';
import { summaryLine } from './_summary.js';

interface BenchModule {
  run(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench: ${unknown.join(', ')} (available: ${available.join(', ') || 'none'})\n`);
  process.exit(2);
}

const writeProfile = await startCpuProfFlag(process.argv.slice(2));
let failed = false;
for (const name of requested.length > 0 ? requested : available) {
  process.stdout.write(`\n=== bench ${name} ===\n`);
  try {
    const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') throw new Error(`test/bench/${name}.ts does not export run()`);
    await mod.run();
  } catch (err) {
    failed = true;
    process.stderr.write(`bench ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
}
await writeProfile?.();
const summary = summaryLine();
if (summary !== undefined) process.stdout.write(`\n${summary}\n`);
process.exit(failed ? 1 : 0);
