/**
 * Fleet supervision as the scheduler runs it: one EngineSupervisor (run at the end of engine
 * ticks, at most about every `intervalMs`) that checks worker liveness and zombies, then stuck
 * queued tasks; a dead-letter handler for the queue adapter; and the heartbeat observer that
 * feeds task heartbeats. Runs and dead letters are serialized, so supervision never races itself.
 *
 * Nothing is judged until the scheduler has been watching for a full heartbeat timeout plus the
 * reconnect grace (see watch.ts): a restarted scheduler keeps the running tasks of live workers
 * running, and a database or broker outage does not turn into a wave of zombies or requeues.
 */
import { taskInstancesSql, workersSql, type DeadLetter } from '@updraft/core';
import { AttemptPublisher } from '../engine/attempt-publisher.js';
import type { EngineSupervisor } from '../engine/options.js';
import type { WorkerFacingEngine } from '../worker-facing.js';
import { resolveSupervisionOptions, type ResolvedSupervisionOptions, type SupervisionOptions } from './options.js';
import { AttemptSightings, observeHeartbeats } from './sightings.js';
import { StuckQueuedCheck, type StuckQueuedResult } from './stuck-queued.js';
import { Watch } from './watch.js';
import { ZombieCheck } from './zombies.js';

/** How often workers offline past the retention are pruned. */
const PRUNE_EVERY_MS = 60_000;

/** How long the broker probe (QueuePublisher.depths) may take before the broker counts as down. */
const BROKER_PROBE_TIMEOUT_MS = 1000;

export interface SupervisionRun {
  /** False while the watch is too young to judge (after start or an outage). */
  judged: boolean;
  zombies: number;
  /** Undefined when the broker did not answer (nothing judged stuck then). */
  queued: StuckQueuedResult | undefined;
}

export class Supervision {
  readonly options: ResolvedSupervisionOptions;
  private readonly watch: Watch;
  private readonly sightings: AttemptSightings;
  private readonly zombies: ZombieCheck;
  private readonly stuck: StuckQueuedCheck;
  private lastRunAt: number | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private brokerDown = false;
  private lastPruneAt: number | undefined;

  constructor(options: SupervisionOptions) {
    const o = (this.options = resolveSupervisionOptions(options));
    const timeout = o.workerHeartbeatTimeoutMs;
    this.watch = new Watch(timeout + o.reconnectGraceMs, Math.max(timeout / 2, 2 * o.intervalMs));
    this.sightings = new AttemptSightings(o.now);
    this.zombies = new ZombieCheck(o, this.sightings);
    this.stuck = new StuckQueuedCheck(o, new AttemptPublisher(o.pool, o.publisher, o.logger));
  }

  /** What the engine runs at the end of its ticks. */
  get supervisor(): EngineSupervisor {
    return {
      name: 'fleet supervision',
      run: async () => {
        const now = this.options.now();
        // Ticks may come more often than supervision is wanted.
        if (this.lastRunAt !== undefined && now - this.lastRunAt < this.options.intervalMs * 0.8) return;
        this.lastRunAt = now;
        await this.runOnce();
      },
    };
  }

  /** The engine as the WorkerService should see it: accepted heartbeats feed task heartbeats. */
  workerFacing(engine: WorkerFacingEngine): WorkerFacingEngine {
    return observeHeartbeats(engine, this.sightings);
  }

  /** One supervision pass now (tests call it directly). */
  runOnce(): Promise<SupervisionRun> {
    return this.serial(() => this.pass());
  }

  /**
   * A message the broker gave up on (delivered max_deliver times, never acked). If its attempt is
   * still queued with that token it is requeued with a new token (spending one requeue) or, past
   * the budget, failed with the reason. Anything else (claimed, finished) needs nothing.
   */
  handleDeadLetter(dead: DeadLetter): Promise<void> {
    return this.serial(async () => {
      const m = dead.message;
      if (m?.key === undefined) {
        this.options.logger.warn({ queue: dead.queue, sequence: dead.sequence }, 'dead letter without a task instance key ignored');
        return;
      }
      const ref = { ...m.key, tryNumber: m.tryNumber, attemptToken: m.attemptToken };
      const cur = await taskInstancesSql.currentAttempt(this.options.pool, ref);
      if (cur?.state !== 'queued' || cur.tryNumber !== m.tryNumber || cur.attemptToken?.toLowerCase() !== m.attemptToken.toLowerCase()) {
        this.options.logger.info({ queue: dead.queue, task: m.key.taskId, state: cur?.state }, 'dead letter of an attempt that is no longer queued: nothing to do');
        return;
      }
      await this.stuck.requeueOrFail(ref, `dead letter: the message was delivered ${dead.deliveries} times on queue ${dead.queue} without a claim`);
    });
  }

  private async pass(): Promise<SupervisionRun> {
    const now = this.options.now();
    const judge = this.watch.begin(now);
    try {
      const zombies = await this.zombies.run(judge);
      let queued: StuckQueuedResult | undefined;
      if (!judge) this.stuck.reset();
      else if (await this.brokerAnswers()) queued = await this.stuck.run();
      await this.pruneWorkers(now);
      this.watch.ok(this.options.now());
      return { judged: judge, zombies, queued };
    } catch (err) {
      this.watch.failed();
      throw err;
    }
  }

  /** Removes workers offline longer than the retention (their tries keep worker id and host). */
  private async pruneWorkers(now: number): Promise<void> {
    if (this.lastPruneAt !== undefined && now - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = now;
    const pruned = await workersSql.pruneOfflineWorkers(this.options.pool, this.options.workerRetentionMs);
    if (pruned.length > 0) {
      this.options.logger.info({ workers: pruned, retentionMs: this.options.workerRetentionMs }, 'removed workers offline longer than scheduler.worker_retention');
    }
  }

  /**
   * The broker must answer for "no message was claimed" to mean anything. Bounded by
   * BROKER_PROBE_TIMEOUT_MS: supervision runs inside the engine's tick, and a request sent while
   * the broker is unreachable would otherwise hold up the tick's publish repair until it times out.
   */
  private async brokerAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.options.publisher.depths(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${BROKER_PROBE_TIMEOUT_MS} ms`)), BROKER_PROBE_TIMEOUT_MS);
        }),
      ]);
      if (this.brokerDown) this.options.logger.info({}, 'queue broker answers again: stuck-queued checks resume after a full queued timeout');
      this.brokerDown = false;
      return true;
    } catch (err) {
      if (!this.brokerDown) this.options.logger.warn({ err }, 'queue broker does not answer: stuck-queued checks paused');
      this.brokerDown = true;
      this.stuck.reset();
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
