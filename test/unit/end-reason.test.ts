/** A try's end reason as the API words it: the recorded error first, then what reschedules and self-skips mean. */
import { describe, expect, it } from 'vitest';
import { endReasonOf } from '../../packages/webserver/src/routes/end-reason.js';

const at = new Date('2024-03-05T00:00:00Z');

describe('endReasonOf', () => {
  it('gives the recorded reason as is', () => {
    expect(endReasonOf({ state: 'failed', error: 'zombie: worker w1 missed heartbeats', startedAt: at, endedAt: at })).toBe('zombie: worker w1 missed heartbeats');
  });

  it('words a sensor reschedule and a self-skip, and says nothing of a plain success or an upstream skip', () => {
    expect(endReasonOf({ state: 'up_for_reschedule', error: null, startedAt: at, endedAt: at })).toMatch(/^sensor not ready .*rescheduled/);
    expect(endReasonOf({ state: 'skipped', error: null, startedAt: at, endedAt: at })).toBe('the task skipped itself');
    expect(endReasonOf({ state: 'skipped', error: null, startedAt: null, endedAt: at })).toBeNull();
    expect(endReasonOf({ state: 'success', error: null, startedAt: at, endedAt: at })).toBeNull();
  });
});
