/**
 * Idempotent creation of the task stream and the per-queue durable pull consumers. Several
 * processes may run this at once (scheduler and workers starting together); losing a creation race
 * is not an error.
 */
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { UpdraftError } from '../errors.js';
import { queueDurableName, queueSubject, type ResolvedJetStreamOptions } from './jetstream-options.js';

function isApiError(err: unknown, code?: number): err is JetStreamApiError {
  return err instanceof JetStreamApiError && (code === undefined || err.code === code);
}

function queueError(what: string, err: unknown): UpdraftError {
  return new UpdraftError('QUEUE_ERROR', `${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

/** The stream exists with WorkQueue retention, `<prefix>.>` among its subjects, and our duplicate window. */
export async function ensureStream(jsm: JetStreamManager, o: ResolvedJetStreamOptions): Promise<StreamInfo> {
  const subjects = `${o.subjectPrefix}.>`;
  const duplicateWindow = nanos(o.duplicateWindowMs);
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(o.stream);
  } catch (err) {
    if (!isApiError(err, JetStreamApiCodes.StreamNotFound)) throw queueError(`stream ${o.stream}: info failed`, err);
    try {
      return await jsm.streams.add({
        name: o.stream,
        subjects: [subjects],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        duplicate_window: duplicateWindow,
      });
    } catch (addErr) {
      // Another process created it first: use theirs (checked below like any existing stream).
      try {
        info = await jsm.streams.info(o.stream);
      } catch {
        throw queueError(`stream ${o.stream}: create failed`, addErr);
      }
    }
  }
  if (info.config.retention !== RetentionPolicy.Workqueue) {
    throw new UpdraftError(
      'CONFIG_INVALID',
      `stream ${o.stream} exists with retention ${info.config.retention}; Updraft needs workqueue (delete it or choose another stream name)`,
    );
  }
  const hasSubjects = (info.config.subjects ?? []).includes(subjects);
  if (!hasSubjects || info.config.duplicate_window !== duplicateWindow) {
    try {
      info = await jsm.streams.update(o.stream, {
        ...info.config,
        subjects: hasSubjects ? info.config.subjects : [...(info.config.subjects ?? []), subjects],
        duplicate_window: duplicateWindow,
      });
    } catch (err) {
      throw queueError(`stream ${o.stream}: update failed`, err);
    }
  }
  return info;
}

function consumerConfig(o: ResolvedJetStreamOptions, queue: string): Partial<ConsumerConfig> {
  return {
    durable_name: queueDurableName(queue),
    filter_subject: queueSubject(o.subjectPrefix, queue),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(o.ackWaitMs),
    max_deliver: o.maxDeliver,
    max_ack_pending: o.maxAckPending,
  };
}

/**
 * The durable pull consumer of `queue` (shared by every worker of the queue), created if missing
 * and brought to our ack wait / max deliver when they differ.
 */
export async function ensureQueueConsumer(
  jsm: JetStreamManager,
  o: ResolvedJetStreamOptions,
  queue: string,
): Promise<ConsumerInfo> {
  const want = consumerConfig(o, queue);
  const durable = want.durable_name!;
  let info: ConsumerInfo;
  try {
    info = await jsm.consumers.info(o.stream, durable);
  } catch (err) {
    if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) throw queueError(`consumer ${durable}: info failed`, err);
    try {
      return await jsm.consumers.add(o.stream, want);
    } catch (addErr) {
      try {
        info = await jsm.consumers.info(o.stream, durable);
      } catch {
        throw queueError(`consumer ${durable} on ${want.filter_subject}: create failed`, addErr);
      }
    }
  }
  if (info.config.filter_subject !== want.filter_subject) {
    throw new UpdraftError(
      'CONFIG_INVALID',
      `consumer ${durable} on stream ${o.stream} filters ${info.config.filter_subject}, expected ${want.filter_subject}`,
    );
  }
  if (
    info.config.ack_wait !== want.ack_wait ||
    info.config.max_deliver !== want.max_deliver ||
    info.config.max_ack_pending !== want.max_ack_pending
  ) {
    try {
      info = await jsm.consumers.update(o.stream, durable, {
        ack_wait: want.ack_wait,
        max_deliver: want.max_deliver,
        max_ack_pending: want.max_ack_pending,
      });
    } catch (err) {
      throw queueError(`consumer ${durable}: update failed`, err);
    }
  }
  return info;
}
