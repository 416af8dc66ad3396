/**
 * `npm run test:faults [-- --count N] [-- --only "worker kill"]`: the fault matrix (see matrix.ts).
 * Prints a table of faults injected, tasks, lost, run twice, retries and longest recovery; exits
 * non-zero when a task was lost or run twice.
 */
import { parseArgs } from 'node:util';
import { formatMatrix, runFaultMatrix } from './matrix.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1' },
    only: { type: 'string', multiple: true },
  },
});
const count = Number(values.count);
if (!Number.isInteger(count) || count < 1) {
  process.stderr.write(`--count must be an integer >= 1, got ${JSON.stringify(values.count)}\n`);
  process.exit(2);
}

const started = Date.now();
const rows = await runFaultMatrix({ count, only: values.only, log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`\nfault matrix, ${count} run${count === 1 ? '' : 's'} per fault (${((Date.now() - started) / 1000).toFixed(0)} s):\n\n`);
process.stdout.write(`${formatMatrix(rows)}\n`);
const bad = rows.some((r) => r.lost > 0 || r.runTwice > 0);
process.exit(bad ? 1 : 0);
