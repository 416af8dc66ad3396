import { describe, expect, it } from 'vitest';
import { JETSTREAM_DEFAULTS, parseAckSubject, queueDurableName, queueSubject } from '@updraft/core/internal';

describe('JetStream adapter parts', () => {
  it('parses both ack subject formats', () => {
    expect(parseAckSubject('$JS.ACK.UPDRAFT_TASKS.q_default.3.41.77.1795270353185579638.0')).toEqual({
      stream: 'UPDRAFT_TASKS', consumer: 'q_default', deliveryCount: 3, streamSequence: 41,
    });
    expect(parseAckSubject('$JS.ACK.hub.ACCHASH.UPDRAFT_TASKS.q_etl.1.9.9.1795270353185579638.2.xyz')).toEqual({
      stream: 'UPDRAFT_TASKS', consumer: 'q_etl', deliveryCount: 1, streamSequence: 9,
    });
    expect(parseAckSubject('_INBOX.abc.1')).toBeUndefined();
    expect(parseAckSubject('$JS.ACK.S.C.x.y.z.t.p')).toBeUndefined();
  });

  it('names subjects and durables as the protocol documents', () => {
    expect(JETSTREAM_DEFAULTS.stream).toBe('UPDRAFT_TASKS');
    expect(queueSubject(JETSTREAM_DEFAULTS.subjectPrefix, 'etl')).toBe('updraft.tasks.etl');
    expect(queueDurableName('etl-fast')).toBe('q_etl-fast');
  });
});
