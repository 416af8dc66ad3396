/**
 * What the WorkerService serves: the leader's engine while this scheduler leads, and on a standby
 * an UNAVAILABLE answer whose details start with STANDBY_DETAILS_PREFIX, so that a worker tries
 * its next scheduler address at once (the call reached no engine; nothing was applied).
 */
import { STANDBY_DETAILS_PREFIX, UpdraftError } from '@updraft/core';
import type {
  BundleAnswer,
  BundleRequest,
  ClaimedTask,
  ClaimRequest,
  ConnectionAnswer,
  DagFile,
  HeartbeatAnswer,
  Registered,
  ReportAnswer,
  ResultReport,
  TaskScopedRead,
  VariableAnswer,
  WorkerFacingEngine,
  WorkerHeartbeat,
  WorkerRegistration, XComAnswer, XComRead, XComWrite } from './worker-facing.js';

export class LeaderGate implements WorkerFacingEngine {
  /** The leader's engine, or undefined while this scheduler is a standby. */
  current: WorkerFacingEngine | undefined;

  registerWorker(req: WorkerRegistration): Promise<Registered> {
    return this.target().registerWorker(req);
  }

  heartbeat(req: WorkerHeartbeat): Promise<HeartbeatAnswer> {
    return this.target().heartbeat(req);
  }

  claimTask(req: ClaimRequest): Promise<ClaimedTask> {
    return this.target().claimTask(req);
  }

  reportTaskResult(req: ResultReport): Promise<ReportAnswer> {
    return this.target().reportTaskResult(req);
  }

  deregisterWorker(workerId: string): Promise<void> {
    return this.target().deregisterWorker(workerId);
  }

  fetchDagFile(fileHash: string): Promise<DagFile> {
    return this.target().fetchDagFile(fileHash);
  }

  fetchBundle(req: BundleRequest): Promise<BundleAnswer> {
    return this.target().fetchBundle(req);
  }

  getConnection(req: TaskScopedRead): Promise<ConnectionAnswer> {
    return this.target().getConnection(req);
  }

  getVariable(req: TaskScopedRead): Promise<VariableAnswer> {
    return this.target().getVariable(req);
  }

  getXCom(req: XComRead): Promise<XComAnswer> {
    return this.target().getXCom(req);
  }

  pushXCom(req: XComWrite): Promise<void> {
    return this.target().pushXCom(req);
  }

  private target(): WorkerFacingEngine {
    if (this.current === undefined) {
      throw new UpdraftError('RPC_ERROR', `${STANDBY_DETAILS_PREFIX} this scheduler is a standby; another scheduler leads (try the next address of worker.scheduler_address)`);
    }
    return this.current;
  }
}
