/** Writing the event log from a request: who (the authenticated user), what, when, from where. */
import type { FastifyRequest } from 'fastify';
import { eventLogSql, type Queryable } from '@updraft/core';

export interface RequestEvent {
  event: string;
  dagId?: string | null;
  runId?: string | null;
  taskId?: string | null;
  mapIndex?: number | null;
  tryNumber?: number | null;
  /** Details of the change; never a secret. */
  extra?: unknown;
}

export async function recordEvents(db: Queryable, request: FastifyRequest, events: readonly RequestEvent[]): Promise<void> {
  const owner = request.user?.username ?? null;
  await eventLogSql.insertEvents(db, events.map((e) => ({ ...e, owner, remoteAddr: request.ip })));
}
