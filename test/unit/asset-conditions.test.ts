/**
 * Conditions over assets (`schedule: anyOf(orders, allOf(returns, refunds))`, Airflow 2.9's
 * `orders | (returns & refunds)`): what the SDK serializes and refuses, when a condition is met by
 * the assets updated since the last run, and how it reads. On a real stack: semantics/assets.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { allOf, anyOf, asset, assetConditionMet, dag, describeAssetCondition, resetRegistry, serializeDag, timetables, type SerializedAssetCondition } from '@updraft/sdk';

const orders = asset('s3://b/orders/');
const returns = asset('s3://b/returns/');
const refunds = asset('s3://b/refunds/');

const serialized = (schedule: Parameters<typeof dag>[0]['schedule'], timetable?: Parameters<typeof dag>[0]['timetable']) => {
  resetRegistry();
  const options = timetable === undefined ? { dagId: 'consumer', schedule } : { dagId: 'consumer', timetable, startDate: '2026-01-01' };
  return serializeDag(dag(options, (d) => { d.empty('x'); }), { fileloc: 'x.ts', fileHash: 'h', defaultTimezone: 'UTC' });
};

describe('asset conditions', () => {
  const cond: SerializedAssetCondition = { any: [{ uri: 's3://b/orders/' }, { all: [{ uri: 's3://b/returns/' }, { uri: 's3://b/refunds/' }] }] };

  it('serialize as a tree, with every asset they name in assetSchedule (the events that concern the DAG)', () => {
    const d = serialized(anyOf(orders, allOf(returns, refunds)));
    expect(d.assetCondition).toEqual(cond);
    expect(d.assetSchedule).toEqual(['s3://b/orders/', 's3://b/returns/', 's3://b/refunds/']);
    expect(d.schedule).toBeNull();
    // A plain list stays a list: each asset, no condition.
    const list = serialized([orders, returns]);
    expect(list.assetSchedule).toEqual(['s3://b/orders/', 's3://b/returns/']);
    expect(list.assetCondition).toBeUndefined();
  });

  it('are met by the assets updated since the last run', () => {
    const met = (...uris: string[]) => assetConditionMet(cond, new Set(uris));
    expect(met('s3://b/orders/')).toBe(true);
    expect(met('s3://b/returns/')).toBe(false);
    expect(met('s3://b/returns/', 's3://b/refunds/')).toBe(true);
    expect(met()).toBe(false);
  });

  it('read as Airflow writes them', () => {
    expect(describeAssetCondition(cond)).toBe('s3://b/orders/ | (s3://b/returns/ & s3://b/refunds/)');
    expect(describeAssetCondition({ all: [{ uri: 'a' }] })).toBe('a');
  });

  it('refuse what is no asset or condition, and an empty one', () => {
    expect(() => anyOf()).toThrow(/anyOf\(\): give at least one asset or condition/);
    expect(() => allOf(orders, 's3://b/x/' as never)).toThrow(/allOf\(\): argument 2 is not an asset\(\.\.\.\), an assetAlias\(\.\.\.\) or an anyOf\/allOf condition/);
    expect(() => serialized({ any: [orders] } as never)).toThrow(/schedule must be a cron string, a preset, a list of assets \(or asset aliases\), anyOf\/allOf of assets, or null/);
  });

  it('with a timetable (timetables.assetOrTime, Airflow\'s DatasetOrTimeSchedule): the timed runs, and the assets too', () => {
    const d = serialized(undefined, timetables.assetOrTime(timetables.cronTrigger('0 2 * * *'), anyOf(orders, refunds)));
    expect(d.timetable).toEqual({ kind: 'cronTrigger', cron: '0 2 * * *', dataInterval: { ms: 0 } });
    expect(d.assetCondition).toEqual({ any: [{ uri: 's3://b/orders/' }, { uri: 's3://b/refunds/' }] });
    expect(d.assetSchedule).toEqual(['s3://b/orders/', 's3://b/refunds/']);
    // A list: each of them.
    expect(serialized(undefined, timetables.assetOrTime(timetables.every('6h'), [orders, returns])).assetCondition)
      .toEqual({ all: [{ uri: 's3://b/orders/' }, { uri: 's3://b/returns/' }] });
    expect(() => timetables.assetOrTime(timetables.every('6h'), [])).toThrow(/assetOrTime\(timetable, assets\): assets must be a non-empty list/);
    expect(() => timetables.assetOrTime('0 2 * * *' as never, [orders])).toThrow(/timetable must be made by timetables.every\(\) or timetables.cronTrigger\(\)/);
  });
});
