/**
 * QueuePort conformance: ONE suite run against both adapters (in-process memory, and JetStream on a
 * real nats-server from the harness), plus JetStream-only behaviour (server restart, dead letters,
 * creation races, bad messages on the wire).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { createJetStreamQueue, createMemoryQueue, isUpdraftError, taskMessageId, type DeadLetter, type Delivery, type QueueConsumer, type TaskMessage, type TaskQueue } from '@updraft/core';
import { startNats, type NatsServer } from '../harness/index.js';

interface Broker {
  /** A queue handle as one process (scheduler or worker) would hold it. */
  open(): Promise<TaskQueue>;
  close(): Promise<void>;
}

type BrokerFactory = (settings: { ackWaitMs?: number; maxDeliver?: number }) => Promise<Broker>;

let counter = 0;
function msg(queue: string, over: Partial<TaskMessage> = {}): TaskMessage {
  counter += 1;
  return {
    key: { dagId: 'dag', runId: 'run', taskId: `t${counter}`, mapIndex: -1 },
    tryNumber: 1,
    attemptToken: `tok${counter}`,
    queue,
    priorityWeight: 1,
    ...over,
  };
}

const ids = (ds: Delivery[]) => ds.map((d) => taskMessageId(d.message));

/** Fetches until `count` deliveries arrived (each fetch waits up to 10 s for work). */
async function fetchN(c: QueueConsumer, count: number, max = count): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (let round = 0; out.length < count && round < 50; round++) {
    out.push(...(await c.fetch(Math.min(max, count - out.length), 10_000)));
  }
  return out;
}

function conformance(name: string, factory: BrokerFactory): void {
  describe(`QueuePort conformance: ${name}`, () => {
    let broker: Broker;
    let pub: TaskQueue;
    let worker: TaskQueue;
    let worker2: TaskQueue;

    beforeAll(async () => {
      broker = await factory({ ackWaitMs: 1500 });
      pub = await broker.open();
      worker = await broker.open();
      worker2 = await broker.open();
    });
    afterAll(async () => {
      await broker?.close();
    });

    it('publish, fetch, ack: the message arrives once, intact, and leaves the queue', async () => {
      const m = msg('basic', { priorityWeight: 7 });
      await pub.publish(m);
      const c = await worker.consumer(['basic']);
      const [d, ...rest] = await fetchN(c, 1, 10);
      expect(rest).toEqual([]);
      expect(d!.message).toEqual(m);
      expect(d!.deliveryCount).toBe(1);
      await d!.ack();
      // Acks are sent, not confirmed (and held a few ms to leave together): the depth follows.
      await expect.poll(async () => (await pub.depths()).basic ?? 0, { timeout: 10_000 }).toBe(0);
      expect(await c.fetch(5, 200)).toEqual([]);
      await c.stop();
    });

    it('a republished attempt is deduplicated; a new attempt token is not', async () => {
      const m = msg('dedupe');
      await pub.publish(m);
      await pub.publish({ ...m });
      expect((await pub.depths()).dedupe).toBe(1);
      await pub.publish({ ...m, attemptToken: `${m.attemptToken}-requeued` });
      expect((await pub.depths()).dedupe).toBe(2);
      const c = await worker.consumer(['dedupe']);
      const got = await fetchN(c, 2);
      expect(ids(got).sort()).toEqual([taskMessageId(m), `${taskMessageId(m)}-requeued`].sort());
      await Promise.all(got.map((d) => d.ack()));
      await c.stop();
    });

    it('fetch returns no more than max and waits for a message published later', async () => {
      for (let i = 0; i < 5; i++) await pub.publish(msg('max'));
      const c = await worker.consumer(['max']);
      const first = await c.fetch(2, 10_000);
      expect(first).toHaveLength(2);
      const rest = await fetchN(c, 3, 10);
      expect(rest).toHaveLength(3);
      await Promise.all([...first, ...rest].map((d) => d.ack()));

      const pending = c.fetch(3, 20_000);
      const late = msg('max');
      await pub.publish(late);
      const got = await pending;
      expect(ids(got)).toEqual([taskMessageId(late)]);
      await got[0]!.ack();
      await c.stop();
    });

    it('two consumers of one queue share the work; no message goes to both', async () => {
      const published = Array.from({ length: 40 }, () => msg('shared'));
      const a = await worker.consumer(['shared']);
      const b = await worker2.consumer(['shared']);
      const seen: Record<'a' | 'b', string[]> = { a: [], b: [] };
      let done = 0;
      const drain = async (c: QueueConsumer, who: 'a' | 'b') => {
        while (done < published.length) {
          const got = await c.fetch(3, 1000);
          for (const d of got) {
            seen[who].push(taskMessageId(d.message));
            // Hold the message a moment, as a task would, so the other consumer gets a turn.
            await new Promise((r) => setTimeout(r, 5));
            await d.ack();
            done += 1;
          }
        }
      };
      const running = [drain(a, 'a'), drain(b, 'b')];
      for (const m of published) await pub.publish(m);
      await Promise.all(running);
      const all = [...seen.a, ...seen.b];
      expect(all).toHaveLength(published.length);
      expect(new Set(all).size).toBe(published.length);
      expect(new Set(all)).toEqual(new Set(published.map(taskMessageId)));
      expect(seen.a.length).toBeGreaterThan(0);
      expect(seen.b.length).toBeGreaterThan(0);
      await Promise.all([a.stop(), b.stop()]);
    });

    it('nak: the message comes back with deliveryCount 2', async () => {
      const m = msg('nak');
      await pub.publish(m);
      const c = await worker.consumer(['nak']);
      const [first] = await fetchN(c, 1);
      expect(first!.deliveryCount).toBe(1);
      first!.nak();
      const [second] = await fetchN(c, 1);
      expect(second!.message).toEqual(m);
      expect(second!.deliveryCount).toBe(2);
      await second!.ack();
      await c.stop();
    });

    it('an unacked delivery is redelivered after the ack wait', async () => {
      const m = msg('ackwait');
      await pub.publish(m);
      const c = await worker.consumer(['ackwait']);
      const [first] = await fetchN(c, 1);
      expect(first!.deliveryCount).toBe(1);
      const [again] = await fetchN(c, 1); // waits out the 1.5 s ack wait
      expect(taskMessageId(again!.message)).toBe(taskMessageId(m));
      expect(again!.deliveryCount).toBe(2);
      await again!.ack();
      await c.stop();
    });

    it('routes by queue: a consumer of [a] never gets b\'s messages', async () => {
      const ma = [msg('route_a'), msg('route_a')];
      const mb = [msg('route_b')];
      for (const m of [...mb, ...ma]) await pub.publish(m);
      const ca = await worker.consumer(['route_a']);
      const gotA = await fetchN(ca, 2, 10);
      expect(ids(gotA).sort()).toEqual(ma.map(taskMessageId).sort());
      expect(await ca.fetch(10, 300)).toEqual([]);
      const cb = await worker2.consumer(['route_b']);
      const gotB = await fetchN(cb, 1, 10);
      expect(ids(gotB)).toEqual(mb.map(taskMessageId));
      await Promise.all([...gotA, ...gotB].map((d) => d.ack()));
      await Promise.all([ca.stop(), cb.stop()]);
    });

    it('a consumer of several queues serves all of them, in turn and while waiting', async () => {
      for (let i = 0; i < 4; i++) {
        await pub.publish(msg('multi_a'));
        await pub.publish(msg('multi_b'));
      }
      const c = await worker.consumer(['multi_a', 'multi_b']);
      const first = [...(await c.fetch(2, 10_000)), ...(await c.fetch(2, 10_000))];
      expect(new Set(first.map((d) => d.message.queue))).toEqual(new Set(['multi_a', 'multi_b']));
      const rest = await fetchN(c, 4, 4);
      expect([...first, ...rest]).toHaveLength(8);
      expect(new Set(ids([...first, ...rest])).size).toBe(8);
      await Promise.all([...first, ...rest].map((d) => d.ack()));

      const waiting = c.fetch(3, 20_000);
      const late = msg('multi_b');
      await pub.publish(late);
      const got = await waiting;
      expect(ids(got)).toEqual([taskMessageId(late)]);
      await got[0]!.ack();
      await c.stop();
    });

    it('fetch with expiresMs 0 returns what is there without waiting', async () => {
      const ms = [msg('nowait'), msg('nowait')];
      for (const m of ms) await pub.publish(m);
      for (const queues of [['nowait'], ['nowait', 'nowait_other']]) {
        const c = await worker.consumer(queues);
        const got = await c.fetch(5, 0);
        expect(ids(got).sort()).toEqual(ms.map(taskMessageId).sort());
        for (const d of got) d.nak();
        await c.stop();
      }
      const c = await worker.consumer(['nowait']);
      const again = await fetchN(c, 2, 5);
      await Promise.all(again.map((d) => d.ack()));
      expect(await c.fetch(5, 0)).toEqual([]);
      await c.stop();
    });

    it('a multi-queue wait that ends on one queue loses nothing arriving on the other', async () => {
      const c = await worker.consumer(['both_a', 'both_b']);
      const waiting = c.fetch(1, 20_000);
      const ma = msg('both_a');
      const mb = msg('both_b');
      await Promise.all([pub.publish(ma), pub.publish(mb)]);
      const got = [...(await waiting)];
      expect(got).toHaveLength(1);
      got.push(...(await fetchN(c, 1, 1)));
      expect(ids(got).sort()).toEqual([taskMessageId(ma), taskMessageId(mb)].sort());
      await Promise.all(got.map((d) => d.ack()));
      expect(await c.fetch(2, 300)).toEqual([]);
      await c.stop();
    });

    it('depths count waiting and unacked messages per queue', async () => {
      for (let i = 0; i < 3; i++) await pub.publish(msg('depth_a'));
      for (let i = 0; i < 2; i++) await pub.publish(msg('depth_b'));
      const depths = await pub.depths();
      expect(depths.depth_a).toBe(3);
      expect(depths.depth_b).toBe(2);
      const c = await worker.consumer(['depth_a']);
      const [d] = await fetchN(c, 1);
      expect((await pub.depths()).depth_a).toBe(3); // delivered, not acked yet
      await d!.ack();
      // An ack is sent, not confirmed: the broker counts it once it processed it.
      await expect.poll(async () => (await pub.depths()).depth_a, { timeout: 10_000 }).toBe(2);
      expect((await pub.depths()).depth_b).toBe(2);
      await c.stop();
    });

    it('queueStats tell waiting from delivered-and-unacked messages per queue', async () => {
      for (let i = 0; i < 3; i++) await pub.publish(msg('stats_a'));
      const c = await worker.consumer(['stats_a']);
      const [d] = await fetchN(c, 1);
      expect((await pub.queueStats()).stats_a).toEqual({ pending: 2, ackPending: 1, redelivered: 0 });
      await d!.ack();
      await expect.poll(async () => (await pub.queueStats()).stats_a, { timeout: 10_000 }).toEqual({ pending: 2, ackPending: 0, redelivered: 0 });
      await c.stop();
    });

    it('stop() ends a waiting fetch with nothing, and later fetches return nothing', async () => {
      const c = await worker.consumer(['stopped']);
      const waiting = c.fetch(5, 60_000);
      await new Promise((r) => setTimeout(r, 50));
      await c.stop();
      expect(await waiting).toEqual([]);
      await pub.publish(msg('stopped'));
      expect(await c.fetch(5, 1000)).toEqual([]);
    });

    it('rejects a message for an invalid queue name, naming it', async () => {
      const err = await pub.publish(msg('bad.queue')).catch((e: unknown) => e);
      expect(isUpdraftError(err, 'INVALID_ARGUMENT')).toBe(true);
      expect((err as Error).message).toMatch(/bad\.queue/);
    });
  });
}

const memoryFactory: BrokerFactory = async (settings) => {
  const queue = createMemoryQueue(settings);
  return { open: async () => queue, close: () => queue.close() };
};

let nats: NatsServer;
let streamCounter = 0;

const jetstreamFactory: BrokerFactory = async (settings) => {
  streamCounter += 1;
  const options = { url: nats.url, stream: `TEST_${streamCounter}`, subjectPrefix: `test${streamCounter}.tasks`, ...settings };
  const opened: TaskQueue[] = [];
  return {
    open: async () => {
      const q = await createJetStreamQueue(options);
      opened.push(q);
      return q;
    },
    close: async () => {
      await Promise.all(opened.map((q) => q.close()));
    },
  };
};

beforeAll(async () => {
  nats = await startNats();
});
afterAll(async () => {
  await nats?.stop();
});

conformance('memory', memoryFactory);
conformance('jetstream', jetstreamFactory);

describe('JetStream adapter only', () => {
  it('survives a nats-server kill and restart: publish fails fast while down, works after, fetch resumes', async () => {
    const broker = await jetstreamFactory({});
    try {
      const pub = await broker.open();
      const worker = await broker.open();
      const c = await worker.consumer(['restart']);
      const before = msg('restart');
      await pub.publish(before);

      await nats.kill();
      const down = await pub.publish(msg('restart')).catch((e: unknown) => e);
      expect(isUpdraftError(down, 'QUEUE_ERROR')).toBe(true);
      const whileDown = c.fetch(5, 2000);

      await nats.restart();
      const after = msg('restart');
      let published = false;
      for (let i = 0; i < 150 && !published; i++) {
        published = await pub.publish(after).then(
          () => true,
          () => new Promise<boolean>((r) => setTimeout(() => r(false), 200)),
        );
      }
      expect(published).toBe(true);
      const got = [...(await whileDown), ...(await fetchN(c, 2, 10))];
      expect(ids(got).sort()).toEqual([taskMessageId(before), taskMessageId(after)].sort());
      await Promise.all(got.map((d) => d.ack()));
      // Acks are sent, not confirmed (and held a few ms to leave together): the depth follows.
      await expect.poll(async () => (await pub.depths()).restart ?? 0, { timeout: 10_000 }).toBe(0);
      await c.stop();
    } finally {
      await broker.close();
    }
  });

  it('recreates stream and consumer when NATS comes back with an empty store', async () => {
    const own = await startNats();
    const options = { url: own.url, stream: 'FRESH', subjectPrefix: 'fresh.tasks' };
    const pub = await createJetStreamQueue(options);
    const worker = await createJetStreamQueue(options);
    let replacement: NatsServer | undefined;
    try {
      const c = await worker.consumer(['fresh']);
      await pub.publish(msg('fresh'));
      const [first] = await fetchN(c, 1);
      await first!.ack();

      await own.stop(); // store removed: the next server knows no stream and no consumer
      replacement = await startNats({ port: own.port });
      const after = msg('fresh');
      let published = false;
      for (let i = 0; i < 150 && !published; i++) {
        published = await pub.publish(after).then(
          () => true,
          () => new Promise<boolean>((r) => setTimeout(() => r(false), 200)),
        );
      }
      expect(published).toBe(true);
      const got = await fetchN(c, 1);
      expect(ids(got)).toEqual([taskMessageId(after)]);
      await got[0]!.ack();
      await c.stop();
    } finally {
      await Promise.all([pub.close(), worker.close()]);
      await replacement?.stop();
      await own.stop();
    }
  });

  it('dead letters: after maxDeliver the message leaves the stream and the listener gets it', async () => {
    const broker = await jetstreamFactory({ maxDeliver: 2 });
    try {
      const scheduler = await broker.open();
      const worker = await broker.open();
      const received = new Promise<DeadLetter>((resolve) => scheduler.onDeadLetter(resolve));
      const m = msg('dead');
      await scheduler.publish(m);
      const c = await worker.consumer(['dead']);
      const [d1] = await fetchN(c, 1);
      d1!.nak();
      const [d2] = await fetchN(c, 1);
      expect(d2!.deliveryCount).toBe(2);
      d2!.nak();
      // The server declares it dead when it would deliver it a third time, i.e. on the next pull.
      const next = c.fetch(1, 1500);
      const dead = await received;
      expect(await next).toEqual([]);
      expect(dead.message).toEqual(m);
      expect(dead.queue).toBe('dead');
      expect(dead.deliveries).toBeGreaterThanOrEqual(2);
      expect((await scheduler.depths()).dead ?? 0).toBe(0);
      await c.stop();
    } finally {
      await broker.close();
    }
  });

  it('two workers creating the same queue consumer at once both succeed and share it', async () => {
    const broker = await jetstreamFactory({});
    try {
      const [w1, w2, pub] = await Promise.all([broker.open(), broker.open(), broker.open()]);
      const [c1, c2] = await Promise.all([w1.consumer(['race', 'race_other']), w2.consumer(['race'])]);
      const ms = [msg('race'), msg('race')];
      for (const m of ms) await pub.publish(m);
      const got = [...(await c1.fetch(1, 10_000)), ...(await c2.fetch(1, 10_000))];
      expect(new Set(ids(got))).toEqual(new Set(ms.map(taskMessageId)));
      await Promise.all(got.map((d) => d.ack()));
      await Promise.all([c1.stop(), c2.stop()]);
    } finally {
      await broker.close();
    }
  });

  it('a message that is not a TaskMessage is dropped and does not block the queue', async () => {
    const broker = await jetstreamFactory({});
    try {
      const pub = await broker.open();
      const worker = await broker.open();
      const c = await worker.consumer(['garbage']);
      const raw = await connect({ servers: nats.url });
      const options = (pub as unknown as { options: { subjectPrefix: string } }).options;
      raw.publish(`${options.subjectPrefix}.garbage`, new Uint8Array([0xff, 0xff, 0xff, 0xff]));
      await raw.flush();
      await raw.close();
      const good = msg('garbage');
      await pub.publish(good);
      const got = await fetchN(c, 1, 5);
      expect(ids(got)).toEqual([taskMessageId(good)]);
      await got[0]!.ack();
      // Acks are sent, not confirmed (and held a few ms to leave together): the depth follows.
      await expect.poll(async () => (await pub.depths()).garbage ?? 0, { timeout: 10_000 }).toBe(0);
      await c.stop();
    } finally {
      await broker.close();
    }
  });

  it('an ack held to leave with others goes out with the next pull request, ahead of it', async () => {
    const broker = await jetstreamFactory({});
    const raw = await connect({ servers: nats.url });
    try {
      const pub = await broker.open();
      const worker = await broker.open();
      const { stream } = (pub as unknown as { options: { stream: string } }).options;
      // What the worker's connection sends, as the server routes it (in the order it was sent).
      const seen: string[] = [];
      raw.subscribe(`$JS.ACK.${stream}.>`, { callback: () => void seen.push('ack') });
      raw.subscribe(`$JS.API.CONSUMER.MSG.NEXT.${stream}.>`, { callback: () => void seen.push('pull') });
      await raw.flush();
      const c = await worker.consumer(['ackpull']);
      await pub.publish(msg('ackpull'));
      await pub.publish(msg('ackpull'));
      const [first] = await fetchN(c, 1);
      await first!.ack();
      // The ack is held (a few ms); the next fetch's pull request takes it along.
      const [second] = await fetchN(c, 1);
      await second!.ack();
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(4);
      expect(seen).toEqual(['pull', 'ack', 'pull', 'ack']);
      await c.stop();
    } finally {
      await raw.close();
      await broker.close();
    }
  });
});
