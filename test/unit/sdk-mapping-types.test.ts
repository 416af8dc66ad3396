/**
 * The types of dynamic task mapping: `npx tsc` on a DAG file that passes a `Task<number>` where
 * `expand` needs a `Task<string[]>` fails to compile, and the same file with a `Task<string[]>`
 * compiles; `ctx.xcom.pull(mapped)` is typed as the array of the instances' values.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dag, resetRegistry, type MappedTaskContext } from '@updraft/sdk';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
// Inside the repository so the file resolves @updraft/sdk like a DAG file in dags/ does.
const DIR = join(REPO_ROOT, 'node_modules', '.cache', `updraft-type-tests-${process.pid}`);

const dagFile = (source: string): string => `import { dag, type MappedTaskContext } from '@updraft/sdk';

export default dag({ dagId: 'typed_mapping' }, (d) => {
  const source = ${source};
  const sizes = d.fn('size', (ctx: MappedTaskContext<string>) => ctx.item.length).expand(source);
  d.fn('total', async (ctx) => {
    const all: number[] | null = await ctx.xcom.pull(sizes);
    return all?.reduce((a, b) => a + b, 0);
  });
});
`;

async function tsc(name: string, text: string): Promise<{ code: number; output: string }> {
  await mkdir(DIR, { recursive: true });
  const file = join(DIR, name);
  await writeFile(file, text);
  const args = [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck',
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', file];
  try {
    const r = await promisify(execFile)(process.execPath, args, { cwd: REPO_ROOT });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

afterAll(async () => {
  await rm(DIR, { recursive: true, force: true });
});

describe('expand() types', () => {
  it('a Task<number> where a Task<string[]> source is needed does not compile', async () => {
    const bad = await tsc('bad.mts', dagFile("d.fn('count', () => 3)"));
    expect(bad.code).not.toBe(0);
    // expand() has two overloads (one source; named sources): the first one's refusal is the one that matters.
    expect(bad.output).toMatch(/bad\.mts\(5,\d+\): error TS2769: No overload matches this call\.[\s\S]*Argument of type 'Task<number, unknown>' is not assignable to parameter of type 'readonly string\[\] \| Task<readonly string\[\], unknown>'/);
  }, 120_000);

  it('a Task<string[]> (or a literal string array) compiles', async () => {
    const good = await tsc('good.mts', dagFile("d.fn('files', () => ['a.csv', 'bb.csv'])"));
    expect(good.output).toBe('');
    expect(good.code).toBe(0);
    const literal = await tsc('literal.mts', dagFile("['a.csv', 'bb.csv']"));
    expect(literal.code).toBe(0);
  }, 120_000);

  it('the same checks hold inside this project (tsc -b compiles this file)', () => {
    resetRegistry();
    dag({ dagId: 'typed' }, (d) => {
      const count = d.fn('count', () => 3);
      const files = d.fn('files', () => ['a', 'b']);
      const size = d.fn('size', (ctx: MappedTaskContext<string>) => ctx.item.length);
      // Type checks only (never called: expand() maps the task at run time).
      const compileOnly = (): void => {
        // @ts-expect-error a Task<number> is not a source of strings
        size.expand(count);
        // @ts-expect-error a literal array of numbers is not either
        size.expand([1, 2]);
      };
      expect(typeof compileOnly).toBe('function');
      const mapped = size.expand(files);
      d.fn('total', async (ctx) => {
        const all = await ctx.xcom.pull(mapped);
        // @ts-expect-error the pulled value is number[] | null, not string[]
        const wrong: string[] | null = all;
        return wrong;
      });
    });
    expect(true).toBe(true);
  });
});
