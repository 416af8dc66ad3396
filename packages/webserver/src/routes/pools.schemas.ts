/** Schemas of /api/v1/pools (Airflow 2's Pool and PoolCollection). */
import { Type } from 'typebox';
import { idParam, Nullable, Pagination, textParam } from './common.schemas.js';

export const PoolNameParams = Type.Object({ pool_name: idParam('pool', 'The pool name.') });

export const ListPoolsQuery = Type.Object({ ...Pagination });

export const PoolSchema = Type.Object({
  name: Type.String(),
  slots: Type.Integer({ description: '-1: unlimited.' }),
  occupied_slots: Type.Integer({ description: 'Slots of its queued and running task instances.' }),
  running_slots: Type.Integer(),
  queued_slots: Type.Integer(),
  scheduled_slots: Type.Integer(),
  deferred_slots: Type.Integer(),
  open_slots: Type.Integer({ description: 'slots - occupied_slots (never below 0); -1 for an unlimited pool.' }),
  description: Nullable(Type.String()),
  include_deferred: Type.Boolean({ description: 'Whether deferred task instances take slots (never, in Updraft).' }),
});

export const PoolCollection = Type.Object({ pools: Type.Array(PoolSchema), total_entries: Type.Integer() });

const Slots = Type.Integer({ minimum: -1, maximum: 2_147_483_647, description: 'How many slots (-1: unlimited).' });

export const PoolBody = Type.Object({
  name: idParam('pool', 'The pool name.'),
  slots: Slots,
  description: Type.Optional(Nullable(textParam(5000, 'What the pool is for.'))),
  include_deferred: Type.Optional(Type.Literal(false, { description: 'Deferred task instances never take slots.' })),
}, { additionalProperties: false });

export const PatchPoolBody = Type.Object({
  name: Type.Optional(idParam('pool', 'The pool name (must be the one in the path: pools are not renamed).')),
  slots: Type.Optional(Slots),
  description: Type.Optional(Nullable(textParam(5000, 'What the pool is for.'))),
  include_deferred: Type.Optional(Type.Literal(false)),
}, { additionalProperties: false });

export const PoolUpdateMaskQuery = Type.Object({
  update_mask: Type.Optional(Type.Array(Type.Union([Type.Literal('slots'), Type.Literal('description'), Type.Literal('name'), Type.Literal('include_deferred')]), {
    maxItems: 4, description: 'The fields to change (default: those the body has).',
  })),
});
