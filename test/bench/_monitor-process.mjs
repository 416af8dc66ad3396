/**
 * The monitor of the monitor bench in a process of its own, plain Node on the built packages as
 * `updraft monitor` runs it (so its RSS is the monitor's alone, without a TypeScript loader):
 * `node test/bench/_monitor-process.mjs <database url>` prints `listening <url>` and runs until SIGTERM.
 */
// In the order `updraft monitor` imports them (the monitor entry first prepares the process for pg).
import { startMonitor } from '@updraft/monitor';
import { createPool } from '@updraft/core/data';

const url = process.argv[2];
if (!url) throw new Error('usage: _monitor-process.mjs <database url>');
const pool = createPool({ url, max: 4 });
const monitor = await startMonitor({ db: pool, listen: '127.0.0.1:0', refreshIntervalMs: 1000 });
process.stdout.write(`listening ${monitor.url}\n`);
process.once('SIGTERM', () => {
  void monitor.close().then(() => pool.end()).then(() => process.exit(0));
});
