/** Schemas of /api/v1/alerts: the alert outbox of the declarative notifiers (slack(), email(), webhook()). */
import { Type } from 'typebox';
import { DateTime, idParam, Nullable } from './common.schemas.js';

export const ListAlertsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'At most this many alerts, newest first.' })),
  failed: Type.Optional(Type.Boolean({ description: 'Only alerts that failed for good.' })),
  dag_id: Type.Optional(idParam('dag id', 'Only this DAG\'s alerts.')),
  dag_run_id: Type.Optional(idParam('run id', 'Only this run\'s alerts.')),
}, { additionalProperties: false });

export const AlertSchema = Type.Object({
  alert_id: Type.Integer(),
  dag_id: Type.String(),
  dag_run_id: Type.String(),
  task_id: Nullable(Type.String({ description: 'Null for a DAG run event.' })),
  map_index: Type.Integer(),
  try_number: Type.Integer(),
  event: Type.String({ description: 'onFailure, onRetry, onSuccess, onExecute, onDagRunSuccess, onDagRunFailure or onDagRunRecovered.' }),
  notifier: Type.String({ description: 'Where it goes: the notifier\'s kind and channel, recipients or receiver, and its connection id (never a secret).' }),
  state: Type.String({ description: 'pending, sending, sent, failed or muted.' }),
  attempts: Type.Integer(),
  created_at: DateTime(),
  sent_at: Nullable(DateTime()),
  next_attempt_at: Nullable(DateTime('When a pending alert is tried next.')),
  error: Nullable(Type.String({ description: 'Why its last attempt failed, or the mute it fell under.' })),
});

export const AlertCollection = Type.Object({ alerts: Type.Array(AlertSchema), total_entries: Type.Integer({ description: 'How many are listed (at most limit).' }) });
