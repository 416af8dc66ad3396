/**
 * The fault matrix once per fault (`npm run test:faults -- --count N` repeats it): every fault is
 * injected into a real stack mid-run, and no task may be lost or run twice. The table it prints
 * carries the figures (recovery times are printed, never asserted).
 */
import { expect, it } from 'vitest';
import { ALL_FAULTS } from './faults.js';
import { formatMatrix, runFaultMatrix } from './matrix.js';

it('fault matrix: no task lost, none run twice, under every fault', { timeout: 900_000 }, async () => {
  const rows = await runFaultMatrix({ count: 1 });
  console.log(`fault matrix, 1 run per fault:\n${formatMatrix(rows)}`);
  expect(rows.map((r) => r.fault)).toEqual(ALL_FAULTS.map((f) => f.name));
  for (const r of rows) {
    expect(r.injected, `${r.fault}: faults injected`).toBeGreaterThan(0);
    expect(r.tasks, `${r.fault}: tasks`).toBeGreaterThan(0);
    expect({ fault: r.fault, lost: r.lost, runTwice: r.runTwice, problems: r.problems })
      .toEqual({ fault: r.fault, lost: 0, runTwice: 0, problems: [] });
  }
});
