/**
 * Asset aliases (Airflow's AssetAlias): what the SDK accepts, refuses and serializes for a task
 * that adds asset events through an alias and a DAG scheduled on one; when such a schedule is met;
 * how an alias's events merge with the declared outlets' in a finish. On a real stack:
 * semantics/assets.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { allOf, anyOf, asset, assetAlias, assetConditionMet, dag, describeAssetCondition, resetRegistry, serializeDag, timetables } from '@updraft/sdk';
import { outletRows } from '../../packages/core/src/sql/finish-attempts.js';

const daily = assetAlias('daily-export');
const orders = asset('s3://b/orders/');

const serialize = (d: ReturnType<typeof dag>) => serializeDag(d, { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' });

describe('asset aliases', () => {
  it('name a function task outlet: serialized apart from the asset URIs', () => {
    resetRegistry();
    const d = serialize(dag({ dagId: 'producer' }, (b) => {
      b.fn('export', () => undefined, { outlets: [orders, daily, daily] });
      b.fn('plain', () => undefined, { outlets: [orders] });
    }));
    expect(d.tasks.find((t) => t.taskId === 'export')).toMatchObject({ outlets: ['s3://b/orders/'], outletAliases: ['daily-export'] });
    expect(d.tasks.find((t) => t.taskId === 'plain')!.outletAliases).toBeUndefined();
  });

  it('are refused on a task that cannot add events (bash), and when badly named', () => {
    resetRegistry();
    expect(() => serialize(dag({ dagId: 'producer' }, (b) => { b.bash('export', { command: 'true', outlets: [daily] }); })))
      .toThrow("task 'export': only a function task can add asset events through an alias (outlets: assetAlias('daily-export'))");
    expect(() => assetAlias('')).toThrow('assetAlias(): the name must be a non-empty string');
    expect(() => assetAlias(' daily')).toThrow("assetAlias(): the name ' daily' starts or ends with whitespace");
    expect(() => assetAlias('x'.repeat(1501))).toThrow('assetAlias(): the name is 1501 characters long (at most 1500)');
    resetRegistry();
    expect(() => dag({ dagId: 'p' }, (b) => { b.fn('t', () => undefined, { outlets: ['s3://b/' as never] }); }))
      .toThrow('outlets must be a list of asset(...) or assetAlias(...) values');
  });

  it('in a schedule: the list becomes a condition (each of them), naming the alias apart; a list of assets alone stays as it was', () => {
    resetRegistry();
    const onAlias = serialize(dag({ dagId: 'a', schedule: [daily] }, (b) => { b.empty('x'); }));
    expect(onAlias).toMatchObject({ assetSchedule: [], aliasSchedule: ['daily-export'], assetCondition: { all: [{ alias: 'daily-export' }] } });
    const both = serialize(dag({ dagId: 'b', schedule: [orders, daily] }, (b) => { b.empty('x'); }));
    expect(both).toMatchObject({ assetSchedule: ['s3://b/orders/'], aliasSchedule: ['daily-export'], assetCondition: { all: [{ uri: 's3://b/orders/' }, { alias: 'daily-export' }] } });
    const plain = serialize(dag({ dagId: 'c', schedule: [orders] }, (b) => { b.empty('x'); }));
    expect(plain.assetCondition).toBeUndefined();
    expect(plain.aliasSchedule).toBeUndefined();
    const cond = serialize(dag({ dagId: 'd', schedule: anyOf(orders, allOf(daily, asset('s3://b/r/'))) }, (b) => { b.empty('x'); }));
    expect(cond.aliasSchedule).toEqual(['daily-export']);
    expect(describeAssetCondition(cond.assetCondition!)).toBe('s3://b/orders/ | (alias:daily-export & s3://b/r/)');
    const timed = serialize(dag({ dagId: 'e', startDate: '2026-01-01', timetable: timetables.assetOrTime(timetables.cronTrigger('0 0 * * *'), [daily]) }, (b) => { b.empty('x'); }));
    expect(timed).toMatchObject({ aliasSchedule: ['daily-export'], assetCondition: { all: [{ alias: 'daily-export' }] } });
  });

  it('hold once an asset they resolved to was updated', () => {
    const cond = { any: [{ uri: 's3://b/orders/' }, { all: [{ alias: 'daily-export' }, { uri: 's3://b/r/' }] }] };
    expect(assetConditionMet(cond, new Set(['s3://b/r/']))).toBe(false);
    expect(assetConditionMet(cond, new Set(['s3://b/r/']), new Set(['daily-export']))).toBe(true);
    expect(assetConditionMet(cond, new Set(), new Set(['daily-export']))).toBe(false);
    expect(assetConditionMet({ all: [{ alias: 'daily-export' }] }, new Set(['s3://b/orders/']))).toBe(false);
  });

  it('add events that merge with the declared outlets: one event per asset, resolving each alias it came through', () => {
    expect(outletRows({
      outlets: ['s3://b/orders/'], outletExtras: { 's3://b/orders/': '{"a":1}' },
      aliasEvents: [
        { alias: 'daily-export', uri: 's3://b/2026-12-07.csv', extra: '{"rows":7}' },
        { alias: 'daily-export', uri: 's3://b/orders/', extra: '{}' },
        { alias: 'all-files', uri: 's3://b/2026-12-07.csv', extra: '{}' },
      ],
    })).toEqual([
      { uri: 's3://b/orders/', extra: '{"a":1}', aliases: ['daily-export'] },
      { uri: 's3://b/2026-12-07.csv', extra: '{"rows":7}', aliases: ['daily-export', 'all-files'] },
    ]);
    expect(outletRows({ outlets: ['s3://b/orders/'] })).toEqual([{ uri: 's3://b/orders/', extra: null, aliases: [] }]);
  });
});
