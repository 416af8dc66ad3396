/**
 * The task-log stream: UPDRAFT_LOGS, subjects `updraft.logs.>`, limits retention with a max age of
 * `logging.retention_days`, file storage. Created by the workers (they write to it) and brought to
 * their retention when it differs; idempotent, and losing a creation race is not an error.
 */
import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { UpdraftError } from '../errors.js';
import { TASK_LOG_STREAM, TASK_LOG_SUBJECT_PREFIX } from './names.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function isStreamNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}

function streamError(what: string, err: unknown): UpdraftError {
  return new UpdraftError('QUEUE_ERROR', `stream ${TASK_LOG_STREAM}: ${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

export async function ensureTaskLogStream(jsm: JetStreamManager, retentionDays: number): Promise<StreamInfo> {
  const subjects = `${TASK_LOG_SUBJECT_PREFIX}.>`;
  const maxAge = nanos(retentionDays * DAY_MS);
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(TASK_LOG_STREAM);
  } catch (err) {
    if (!isStreamNotFound(err)) throw streamError('info failed', err);
    try {
      return await jsm.streams.add({
        name: TASK_LOG_STREAM,
        subjects: [subjects],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        max_age: maxAge,
      });
    } catch (addErr) {
      try {
        info = await jsm.streams.info(TASK_LOG_STREAM);
      } catch {
        throw streamError('create failed', addErr);
      }
    }
  }
  const hasSubjects = (info.config.subjects ?? []).includes(subjects);
  if (!hasSubjects || info.config.max_age !== maxAge) {
    try {
      info = await jsm.streams.update(TASK_LOG_STREAM, {
        ...info.config,
        subjects: hasSubjects ? info.config.subjects : [...(info.config.subjects ?? []), subjects],
        max_age: maxAge,
      });
    } catch (err) {
      throw streamError('update failed', err);
    }
  }
  return info;
}
