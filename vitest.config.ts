/**
 * Tests: test/unit (pure, no servers) and test/integration + test/e2e (real PostgreSQL, NATS,
 * processes via test/harness). Benchmarks (test/bench) are not tests. The machine has 2 cores:
 * at most 2 test files run at once. Timeouts are generous; tests never assert on timing.
 * `npm test` runs test/run-tests.mjs; `npx vitest run --project unit` runs the unit tests only.
 */
import { defineConfig } from 'vitest/config';

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
