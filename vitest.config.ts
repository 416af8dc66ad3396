/**
 * Tests: test/unit (pure, no servers) and test/integration + test/e2e (real PostgreSQL, NATS,
 * processes via test/harness). Benchmarks (test/bench) are not tests. The machine has 2 cores:
 * at most 2 test files run at once. Timeouts are generous; tests never assert on timing.
 * `npm test` runs test/run-tests.mjs; `npx vitest run --project unit` runs the unit tests only.
 * Both build the packages first (tsc -b, incremental: about a second when nothing changed).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import the packages' compiled code (their package.json exports) and start `updraft`
// processes that run it (the webserver serves the built UI): build first unless `npm test` just did (it sets UPDRAFT_TEST_BUILT).
if (process.env.UPDRAFT_TEST_BUILT !== '1') {
  const root = fileURLToPath(new URL('.', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', 'packages/cli', 'packages/providers'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [`${root}scripts/build-ui.mjs`], { cwd: root, stdio: 'inherit' });
  process.env.UPDRAFT_TEST_BUILT = '1';
}

const shared = {
  pool: 'forks',
  testTimeout: 120_000,
  hookTimeout: 120_000,
  teardownTimeout: 60_000,
} as const;

export default defineConfig({
  test: {
    maxWorkers: 2,
    fileParallelism: true,
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', 'test/bench/**', 'test/fixtures/**', '**/node_modules/**'],
          globalSetup: ['test/harness/global-setup.ts'],
        },
      },
    ],
  },
});
