/**
 * dag-parse: 1,000 generated DAG files of 10 tasks each, parsed and stored by the DAG processor
 * into a throwaway PostgreSQL: cold (empty database), then warm (nothing changed), then with one
 * file changed. Targets on a 2-core machine: cold <= 10 s, warm <= 1 s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, DagProcessor, migrate } from '@updraft/core';
import type { ProcessSummary } from '@updraft/core';
import { startPostgres } from '../harness/index.js';

const FILES = Number(process.env.BENCH_DAG_FILES ?? 1000);
const TASKS = 10;

/** A DAG of 10 tasks: start -> 4 parallel bash tasks -> join -> 3 in a chain -> end. */
function dagFile(i: number): string {
  const id = `bench_dag_${String(i).padStart(4, '0')}`;
  return `import { chain, dag } from '@updraft/sdk';

export default dag(
  { dagId: '${id}', schedule: '${i % 60} * * * *', startDate: '2024-01-01', tags: ['bench'], defaultArgs: { retries: 1 } },
  (d) => {
    const parallel = [0, 1, 2, 3].map((n) => d.bash(\`step_\${n}\`, { command: \`echo ${id} \${n} {{ ds }}\` }));
    chain(d.empty('start'), parallel, d.empty('join'), d.bash('a', { command: 'true' }), d.bash('b', { command: 'true' }), d.bash('c', { command: 'true' }), d.empty('end'));
  },
);
`;
}

const ms = (n: number): string => `${Math.round(n)} ms`;

function line(label: string, s: ProcessSummary): string {
  return (
    `${label.padEnd(14)} ${(s.durationMs / 1000).toFixed(2).padStart(6)} s   ` +
    `(scan ${ms(s.phasesMs.scan)}, parse ${ms(s.phasesMs.parse)}, write ${ms(s.phasesMs.write)})   ` +
    `files seen ${s.filesSeen}, parsed ${s.filesParsed}, skipped ${s.filesSkipped}, dags ${s.dags}, errors ${s.errors.length}`
  );
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'updraft-bench-dags-'));
  const server = await startPostgres();
  const pool = createPool({ url: server.url, max: 4 });
  try {
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
    await Promise.all(Array.from({ length: FILES }, (_, i) => writeFile(join(dir, `dag_${String(i).padStart(4, '0')}.ts`), dagFile(i))));
    await migrate(pool);
    console.log(`${FILES} DAG files x ${TASKS} tasks in ${dir}; PostgreSQL on port ${server.port}; ${2} parser processes`);

    const processor = new DagProcessor(pool, { dagsFolder: dir });
    try {
      const cold = await processor.processDagsFolder();
      const warm = await processor.processDagsFolder();
      await writeFile(join(dir, 'dag_0000.ts'), dagFile(0) + '// changed\n');
      const oneChanged = await processor.processDagsFolder();
      const problems = [cold, warm, oneChanged].flatMap((s) => s.errors);
      if (problems.length > 0) throw new Error(`unexpected import errors: ${problems.slice(0, 3).map((e) => e.message).join('; ')}`);
      const stored = await pool.query<{ n: number; tasks: number }>(
        "SELECT count(*)::int AS n, sum(jsonb_array_length(data->'tasks'))::int AS tasks FROM serialized_dag",
      );
      console.log(line('cold', cold) + '   (target <= 10 s)');
      console.log(line('warm', warm) + '   (target <= 1 s)');
      console.log(line('1 file changed', oneChanged));
      console.log(`stored: ${stored.rows[0]!.n} serialized DAGs, ${stored.rows[0]!.tasks} tasks`);
    } finally {
      await processor.close();
    }
  } finally {
    await pool.end();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
