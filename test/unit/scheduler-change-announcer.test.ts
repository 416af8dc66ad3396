/**
 * The scheduler's change announcer (pure unit test: its send is a function): changes within the
 * delay go out in one send, a failed send is retried with what came meanwhile, close sends what is
 * pending.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@updraft/core';
import { ChangeAnnouncer } from '../../packages/scheduler/src/engine/change-announcer.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ChangeAnnouncer', () => {
  it('coalesces the changes of one delay into one send, and sends nothing when nothing changed', async () => {
    const sent: string[][] = [];
    const a = new ChangeAnnouncer(async (ids) => { sent.push([...ids].sort()); }, silentLogger, 10);
    a.changed(['b', 'a']);
    a.changed(['a']);
    a.changed([]);
    expect(sent).toEqual([]);
    await sleep(40);
    expect(sent).toEqual([['a', 'b']]);
    a.changed([]);
    await sleep(30);
    expect(sent).toHaveLength(1);
    a.changed(['c']);
    await a.close();
    expect(sent).toEqual([['a', 'b'], ['c']]);
  });

  it('keeps what a failed send carried and sends it again with what came meanwhile', async () => {
    const sent: string[][] = [];
    let fail = true;
    const a = new ChangeAnnouncer(async (ids) => {
      if (fail) {
        fail = false;
        throw new Error('connection lost');
      }
      sent.push([...ids].sort());
    }, silentLogger, 5);
    a.changed(['x']);
    await sleep(20);
    expect(sent).toEqual([]);
    a.changed(['y']);
    await a.flush();
    expect(sent).toEqual([['x', 'y']]);
    await a.close();
  });
});
