import { describe, expect, it } from 'vitest';
import { loadConfig } from '@updraft/core';
import { parseQueueOverrides } from '../../packages/cli/src/worker-options.js';

describe('worker.queue_overrides', () => {
  it('maps each queue to its umask / run-as user / group', () => {
    const cfg = loadConfig({ env: { UPDRAFT__WORKER__QUEUE_OVERRIDES: 'etl:umask=0002;run_as_user=etl,reports:umask=0077;run_as_group=65534' }, cwd: '/nonexistent' });
    expect(parseQueueOverrides(cfg.worker.queueOverrides)).toEqual({
      etl: { umask: '0002', runAsUser: 'etl' },
      reports: { umask: '0077', runAsGroup: '65534' },
    });
  });

  it('is empty by default', () => {
    expect(parseQueueOverrides(loadConfig({ env: {}, cwd: '/nonexistent' }).worker.queueOverrides)).toEqual({});
  });

  it('refuses a malformed entry, naming the key', () => {
    expect(() => loadConfig({ env: { UPDRAFT__WORKER__QUEUE_OVERRIDES: 'etl:umask=9' }, cwd: '/nonexistent' })).toThrow(/worker\.queue_overrides/);
    expect(() => loadConfig({ env: { UPDRAFT__WORKER__QUEUE_OVERRIDES: 'etl:colour=blue' }, cwd: '/nonexistent' })).toThrow(/worker\.queue_overrides/);
  });
});
