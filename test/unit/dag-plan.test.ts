import { describe, expect, it } from 'vitest';
import { planPass } from '@updraft/core/internal';
import type { dagFilesSql } from '@updraft/core';
import type { FileParseResult } from '@updraft/core/internal';
import type { SerializedDag } from '@updraft/sdk';

function ok(fileloc: string, ...dagIds: string[]): FileParseResult {
  return {
    ok: true,
    fileloc,
    fileHash: `h-${fileloc}`,
    durationMs: 1,
    dags: dagIds.map((dagId) => ({ serialized: { dagId, fileloc } as SerializedDag, dagHash: `dh-${dagId}` })),
  };
}

function broken(fileloc: string): FileParseResult {
  return { ok: false, fileloc, fileHash: `h-${fileloc}`, kind: 'exception', message: `${fileloc}: boom`, durationMs: 1 };
}

function stored(...files: Array<[string, string[]]>): Map<string, dagFilesSql.StoredDagFile> {
  return new Map(files.map(([fileloc, dagIds]) => [fileloc, { fileloc, fileHash: 'old', dagIds }]));
}

const displayOf = (f: string): string => `dags/${f}`;

describe('planPass', () => {
  it('stores loaded files and records broken ones', () => {
    const plan = planPass({ stored: new Map(), present: ['a.ts', 'b.ts'], parsed: [ok('a.ts', 'x', 'y'), broken('b.ts')], displayOf });
    expect(plan.loaded.map((r) => r.fileloc)).toEqual(['a.ts']);
    expect(plan.importErrors).toEqual([{ fileloc: 'b.ts', fileHash: 'h-b.ts', kind: 'exception', message: 'b.ts: boom' }]);
    expect(plan.dagFiles.map((f) => [f.fileloc, f.dagIds])).toEqual([
      ['a.ts', ['x', 'y']],
      ['b.ts', []],
    ]);
    expect(plan.clearErrors).toEqual(['a.ts']);
    expect(plan.activeDagIds).toEqual(['x', 'y']);
  });

  it('gives a new dag id to the first file by path and fails the second as a whole', () => {
    const plan = planPass({ stored: new Map(), present: ['a.ts', 'b.ts'], parsed: [ok('b.ts', 'z', 'x'), ok('a.ts', 'x')], displayOf });
    expect(plan.loaded.map((r) => r.fileloc)).toEqual(['a.ts']);
    expect(plan.importErrors).toEqual([
      {
        fileloc: 'b.ts',
        fileHash: 'h-b.ts',
        kind: 'duplicate_dag',
        message: "dags/b.ts: DAG id 'x' is already defined in dags/a.ts (DAG ids must be unique across files; rename one of them)",
      },
    ]);
    // b's other DAG is not half-stored.
    expect(plan.activeDagIds).toEqual(['x']);
  });

  it('lets the file that owned an id keep it against a new file sorting first', () => {
    const plan = planPass({ stored: stored(['m.ts', ['x']]), present: ['a.ts', 'm.ts'], parsed: [ok('a.ts', 'x')], displayOf });
    expect(plan.importErrors[0]).toMatchObject({ fileloc: 'a.ts', kind: 'duplicate_dag' });
    expect(plan.importErrors[0]!.message).toContain('already defined in dags/m.ts');
    expect(plan.activeDagIds).toEqual(['x']);
  });

  it('hands an id over when its old file stops defining it in the same pass', () => {
    const plan = planPass({
      stored: stored(['m.ts', ['x']]),
      present: ['a.ts', 'm.ts'],
      parsed: [ok('a.ts', 'x'), ok('m.ts', 'other')],
      displayOf,
    });
    expect(plan.importErrors).toEqual([]);
    expect(plan.dagFiles.map((f) => [f.fileloc, f.dagIds])).toEqual([
      ['a.ts', ['x']],
      ['m.ts', ['other']],
    ]);
  });

  it('keeps the DAGs of a file that broke, and deactivates those of a file that is gone', () => {
    const plan = planPass({
      stored: stored(['a.ts', ['x']], ['gone.ts', ['g']], ['same.ts', ['s']]),
      present: ['a.ts', 'same.ts'],
      parsed: [broken('a.ts')],
      displayOf,
    });
    expect(plan.dagFiles).toEqual([{ fileloc: 'a.ts', fileHash: 'h-a.ts', dagIds: ['x'], parseDurationMs: 1 }]);
    expect(plan.goneFiles).toEqual(['gone.ts']);
    expect(plan.clearErrors).toEqual(['gone.ts']);
    expect(plan.activeDagIds).toEqual(['s', 'x']);
  });

  it('drops ids a loaded file no longer defines', () => {
    const plan = planPass({ stored: stored(['a.ts', ['x', 'y']]), present: ['a.ts'], parsed: [ok('a.ts', 'y')], displayOf });
    expect(plan.activeDagIds).toEqual(['y']);
  });
});
