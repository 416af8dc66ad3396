/**
 * Rules of the code's shape that review alone would let erode:
 *  - SQL statements live only in core's data-access modules (packages/core/src/sql, and the
 *    connection/migration plumbing in packages/core/src/db);
 *  - generated protocol types stop at the RPC boundary: the scheduling engine and the data-access
 *    modules never name them;
 *  - every statement that changes a task instance's or DAG run's state is guarded by a transition
 *    declared against the state machine (core/src/sql/transitions.ts);
 *  - @updraft/core's entry is an explicit list;
 *  - what the monitor process loads (`@updraft/monitor`, `@updraft/core/data`, and `updraft
 *    monitor` up to its optional NATS connection) reaches no gRPC, protobuf, NATS, schedule or
 *    TypeBox module at run time (they cost it resident memory; docs/monitor.md, Memory).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
// Loading the public entry loads the data-access modules, which declare their transitions.
import '@updraft/core';
import { declaredTransitions, taskTransition } from '@updraft/core/internal';
import { REPO_ROOT } from '../harness/cli.js';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist') out.push(...filesUnder(path));
    } else if (name.endsWith('.ts')) {
      out.push(path);
    }
  }
  return out;
}

const SOURCES = readdirSync(join(REPO_ROOT, 'packages'))
  .flatMap((pkg) => filesUnder(join(REPO_ROOT, 'packages', pkg, 'src')))
  .filter((f) => !f.includes('/proto/'))
  .map((f) => ({ path: relative(REPO_ROOT, f), text: readFileSync(f, 'utf8') }));

/** String and template literals of a source file (comments left out). */
function literals(text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...withoutComments.matchAll(/`(?:[^`\\]|\\.)*`|'(?:[^'\\\n]|\\.)*'/g)].map((m) => m[0]);
}

const SQL = /\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+(\w+\s+)?SET|DELETE\s+FROM)\b/i;
const DATA_ACCESS = ['packages/core/src/sql/', 'packages/core/src/db/'];

describe('where SQL lives', () => {
  it('finds the statements of the data-access modules (the check can fail)', () => {
    const inSql = SOURCES.filter((s) => s.path.startsWith('packages/core/src/sql/') && literals(s.text).some((l) => SQL.test(l)));
    expect(inSql.length).toBeGreaterThan(4);
  });

  it('has no SQL statement outside packages/core/src/sql and packages/core/src/db', () => {
    const outside = SOURCES.filter((s) => !DATA_ACCESS.some((d) => s.path.startsWith(d)))
      .flatMap((s) => literals(s.text).filter((l) => SQL.test(l)).map((l) => `${s.path}: ${l.slice(0, 80)}`));
    expect(outside).toEqual([]);
  });
});

describe('protocol types stop at the RPC boundary', () => {
  const guarded = SOURCES.filter((s) => s.path.startsWith('packages/scheduler/src/engine/') || s.path.startsWith('packages/core/src/sql/'));

  it('looks at the engine and the data-access modules', () => {
    expect(guarded.length).toBeGreaterThan(10);
  });

  it('the engine and the data-access modules never name a generated protocol type', () => {
    const offenders = guarded.filter((s) => /\bproto\b\s*[.,}]|from '[^']*proto\/updraft/.test(s.text.replace(/\/\*[\s\S]*?\*\//g, '')));
    expect(offenders.map((s) => s.path)).toEqual([]);
  });
});

describe('state changes follow the state machine', () => {
  const statements = SOURCES.filter((s) => s.path.startsWith('packages/core/src/sql/'))
    .flatMap((s) => literals(s.text).map((l) => ({ path: s.path, sql: l })))
    // `state = ...` in the SET list (a WHERE condition reads `<alias>.state`).
    .filter(({ sql }) => /UPDATE\s+(task_instance|dag_run)\s+\w*\s*SET((?!\bWHERE\b)[\s\S])*?(?<![.\w])state\s*=/i.test(sql));

  it('finds the state-changing statements', () => {
    expect(statements.length).toBeGreaterThanOrEqual(8);
  });

  it('every UPDATE that sets the state of a task instance or DAG run is guarded by a declared transition', () => {
    const unguarded = statements.filter(({ sql }) => !/\$\{[A-Z_]+\.guard\(/.test(sql));
    expect(unguarded.map((u) => `${u.path}: ${u.sql.slice(0, 100)}`)).toEqual([]);
  });

  it('declaring an edge that is not in the state machine throws', () => {
    expect(() => taskTransition(['success'], ['running'])).toThrow(/success -> running is not in the state machine/);
    expect(() => taskTransition(['none'], ['queued'])).toThrow(/none -> queued/);
    expect(() => taskTransition(['none'], ['queued'], 'scheduled')).not.toThrow();
  });

  it('the declared transitions cover queueing, claim, finish, requeue and the run lifecycle', () => {
    const edges = new Set(declaredTransitions().flatMap((t) => t.from.flatMap((f) => t.to.map((to) => `${t.machine}:${f}->${to}`))));
    for (const e of ['task_instance:none->queued', 'task_instance:queued->running', 'task_instance:running->success',
      'task_instance:running->up_for_retry', 'task_instance:queued->queued', 'dag_run:queued->running', 'dag_run:running->failed']) {
      expect(edges).toContain(e);
    }
  });
});

describe('@updraft/core entry', () => {
  it('is an explicit list (no export *) and does not re-export the sdk', () => {
    const index = readFileSync(join(REPO_ROOT, 'packages/core/src/index.ts'), 'utf8');
    expect(index).not.toMatch(/export \*/);
    expect(index).not.toMatch(/from '@updraft\/sdk'/);
  });
});

/** Run-time import specifiers of a source file (type-only imports and exports are erased: left out). */
function runtimeImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(/^\s*(?:import|export)\s+(?!type\b)([^;]*?)\s*from\s*'([^']+)'/gms)) out.push(m[2]!);
  for (const m of code.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push(m[1]!);
  return out;
}

/** The packages a source file reaches at load time, following its relative imports (dynamic import() is not followed). */
function packagesReachedFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) visit(join(file, '..', spec).replace(/\.js$/, '.ts'));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  visit(join(REPO_ROOT, entry));
  return packages;
}

const HEAVY = /^(@grpc\/|@bufbuild\/|@nats-io\/|cron-parser|luxon|typebox|@updraft\/core$)/;

describe('what the monitor process loads', () => {
  it('finds the packages an entry reaches (the check can fail)', () => {
    expect([...packagesReachedFrom('packages/core/src/index.ts')].filter((p) => HEAVY.test(p))).toEqual(expect.arrayContaining(['@grpc/grpc-js', '@nats-io/jetstream']));
  });

  it('@updraft/core/data, @updraft/monitor and the monitor command reach no gRPC, protobuf, NATS, schedule or TypeBox module', () => {
    for (const entry of ['packages/core/src/data.ts', 'packages/monitor/src/index.ts', 'packages/cli/src/commands/monitor.ts']) {
      expect({ entry, heavy: [...packagesReachedFrom(entry)].filter((p) => HEAVY.test(p)) }).toEqual({ entry, heavy: [] });
    }
  });
});
