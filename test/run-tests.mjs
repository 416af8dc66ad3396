#!/usr/bin/env node
// `npm test`: builds and type-checks the project (`tsc -b`: packages, tests, example DAGs), builds
// the web UI when its sources changed (scripts/build-ui.mjs), runs
// vitest (all projects, see vitest.config.ts), then prints one closing line
// `N passed, N failed[, N skipped]` counted from vitest's JSON report. Exits non-zero when a
// test failed, a test file could not run, vitest itself failed, or no test ran at all.
// Extra arguments go to vitest (e.g. `npm test -- test/unit`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const reportDir = mkdtempSync(join(tmpdir(), 'updraft-test-report-'));
const reportFile = join(reportDir, 'vitest.json');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const args = [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)];

// The processes the tests start run the compiled packages: build them (and type-check the tests)
// first. A type error is a failed run.
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const build = spawnSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('tsc -b failed: the project does not build (see the errors above)');
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}
// The browser tests load the web UI the webserver serves: build it when its sources changed.
const ui = spawnSync(process.execPath, [join(root, 'scripts', 'build-ui.mjs')], { cwd: root, stdio: 'inherit' });
if (ui.status !== 0) {
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}
process.env.UPDRAFT_TEST_BUILT = '1';

const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches vitest through the terminal; let it tear the servers down and report.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1))));

let report;
try {
  report = JSON.parse(readFileSync(reportFile, 'utf8'));
} catch {
  report = undefined;
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (report) {
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that failed to load or crashed in a hook reports no failed test: count it as one.
  for (const file of report.testResults ?? []) {
    const fileFailedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed').length;
    if (file.status === 'failed' && fileFailedTests === 0) {
      failed += 1;
      console.error(`test file failed to run: ${file.name}${file.message ? `\n${file.message}` : ''}`);
    }
  }
} else {
  console.error('vitest wrote no JSON report');
}

if (code !== 0 && failed === 0) console.error(`vitest exited with code ${code} (see errors above)`);
if (passed + failed === 0) console.error('no test ran');
process.stdout.write(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
process.exitCode = code !== 0 || failed > 0 || passed + failed === 0 ? 1 : 0;
