/**
 * CONTRACT between the gRPC WorkerService adapter (src/rpc/) and the scheduling engine (src/engine/).
 * The adapter validates requests, authenticates, and maps errors to gRPC status codes:
 *   UpdraftError 'STALE_ATTEMPT'    -> FAILED_PRECONDITION
 *   UpdraftError 'TASK_NOT_FOUND' / 'DAG_NOT_FOUND' / 'RUN_NOT_FOUND' -> NOT_FOUND
 *   UpdraftError 'INVALID_ARGUMENT' -> INVALID_ARGUMENT
 *   database unreachable ('DB_ERROR') -> UNAVAILABLE
 * The engine owns every state change (compare-and-set SQL) and the event-driven follow-up
 * (a reported success queues and publishes ready downstream tasks before the call returns).
 */
import type { proto } from '@updraft/core';

export interface WorkerFacingEngine {
  registerWorker(req: proto.RegisterWorkerRequest): Promise<proto.RegisterWorkerResponse>;
  heartbeat(req: proto.HeartbeatRequest): Promise<proto.HeartbeatResponse>;
  /** queued -> running for exactly this try and token, or throws STALE_ATTEMPT. */
  claimTask(req: proto.ClaimTaskRequest): Promise<proto.ClaimTaskResponse>;
  /** running -> success | failed | up_for_retry for exactly this try and token, or throws STALE_ATTEMPT. */
  reportTaskResult(req: proto.ReportTaskResultRequest): Promise<proto.ReportTaskResultResponse>;
  deregisterWorker(req: proto.DeregisterWorkerRequest): Promise<proto.DeregisterWorkerResponse>;
  fetchDagFile(req: proto.FetchDagFileRequest): Promise<proto.FetchDagFileResponse>;
}
