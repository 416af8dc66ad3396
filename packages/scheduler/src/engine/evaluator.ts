/**
 * Readiness evaluation of one DAG run: reads the states it needs, plans with the trigger rules,
 * applies the plan with compare-and-set statements (ready tasks go through the admission gate:
 * pools and concurrency limits), publishes what it queued, and finishes the run
 * when nothing is left. Called when a run starts (all tasks) and when a task ends (its downstream
 * only: the hot path costs one read, one write and the publishes).
 */
import {
  alertsSql,
  Coalescer,
  dagRunsSql,
  failFastSql,
  pastRunsSql,
  planReadiness,
  taskInstancesSql,
  type Queryable,
  type QueuedAttempt,
  type ReadinessPlan,
  type TaskInstanceState,
} from '@updraft/core';
import type { SerializedTask } from '@updraft/sdk';
import type { Admission, Freed } from './admission.js';
import { Batcher } from './batching.js';
import type { AttemptPublisher } from './attempt-publisher.js';
import type { CompiledDag, DagCache } from './dag-cache.js';
import { skippedByControl as controlSkips } from './control-skips.js';
import { evaluateMappedRun } from './mapped-evaluation.js';
import { releasedByPast, releasesNextRun } from './past-dependencies.js';
import { taskStart } from './task-start.js';

/** Rules that, after upstream successes, decide only once every upstream has finished. */
const WAIT_FOR_ALL: ReadonlySet<string> = new Set(['all_success', 'all_done', 'none_failed', 'none_failed_min_one_success', 'none_skipped', 'all_done_min_one_success']);
/** From this many other upstreams on, a join first asks whether one is unfinished (see planDownstream). */
const WIDE_FAN_IN = 32;
/** Unfinished rows of tasks in neither list that the small probe reads before it leaves the answer to the full one. */
const UNLISTED_MAX = 64;
/** A join that, after `ended` of its upstreams succeeded, waits for the others: many of them, and a rule that waits for all. */
const waitsForManyMore = (join: { upstream: readonly string[]; triggerRule?: string } | undefined, ended: number): join is { upstream: readonly string[]; triggerRule?: string } =>
  join !== undefined && join.upstream.length - ended >= WIDE_FAN_IN && WAIT_FOR_ALL.has(join.triggerRule ?? 'all_success');
const NOTHING: ReadinessPlan = { queue: [], skip: [], upstreamFailed: [], remove: [], needsAllStates: false };

/**
 * A wide join's upstream tasks, and the DAG's other tasks (the join included) when they are fewer
 * (null otherwise: the probe would not use them, and a list per join would grow as the DAG squared).
 */
interface Upstreams {
  set: ReadonlySet<string>;
  others: readonly string[] | null;
}

/** Per DAG version (a compiled DAG never changes): wide joins' upstream lists, made on their first probe. */
const upstreamCache = new WeakMap<CompiledDag, Map<string, Upstreams>>();

function upstreamsOf(compiled: CompiledDag, taskId: string, upstream: readonly string[]): Upstreams {
  let byTask = upstreamCache.get(compiled);
  if (byTask === undefined) upstreamCache.set(compiled, (byTask = new Map()));
  let ups = byTask.get(taskId);
  if (ups === undefined) {
    const set = new Set(upstream);
    ups = { set, others: 2 * set.size > compiled.tasks.size ? [...compiled.tasks.keys()].filter((t) => !set.has(t)) : null };
    byTask.set(taskId, ups);
  }
  return ups;
}

/** Per DAG version: each task's chain successor (see chainNext), made on its first ask. */
const chainCache = new WeakMap<CompiledDag, Map<string, SerializedTask | null>>();

function chainSuccessor(compiled: CompiledDag, taskId: string): SerializedTask | null {
  if (compiled.hasMapped || compiled.pastWatched.size > 0) return null;
  const downstream = compiled.tasks.get(taskId)?.downstream ?? [];
  const next = downstream.length === 1 ? compiled.tasks.get(downstream[0]!) : undefined;
  if (next === undefined || next.upstream.length !== 1 || next.upstream[0] !== taskId) return null;
  // Tasks the scheduler starts itself go through the admission gate, never to a worker.
  if (next.expand !== undefined || next.maxActiveTisPerDag !== undefined || next.maxActiveTisPerDagrun !== undefined || taskStart(next) !== 'worker') return null;
  const plan = planReadiness({
    tasks: compiled.tasks, states: new Map<string, TaskInstanceState>([[taskId, 'success'], [next.taskId, 'none']]),
    candidates: [next.taskId], complete: false,
  });
  return !plan.needsAllStates && plan.queue.length === 1 && plan.queue[0] === next.taskId ? next : null;
}

export interface RunRef {
  dagRunId: string;
  dagId: string;
  runId: string;
  dagHash: string | null;
}

export interface EvaluationResult {
  queued: number;
  /** The run's final state when it is finished (onRunFinished was called once for it). */
  finished: 'success' | 'failed' | null;
  /** The queued attempt kept back from publishing for the caller (see `hold`), or null. */
  held: QueuedAttempt | null;
}

/** Picks at most one of the attempts an evaluation queued to keep back from publishing (chain fast path). */
export type HoldFilter = (attempt: QueuedAttempt) => boolean;

/** What the statement that ended the changed tasks said (an evaluation right after a worker's report). */
export interface AfterFinish {
  hold?: HoldFilter;
  /**
   * Another instance of the run was queued or running, and the finish statement did not end it:
   * it ends later through a finish statement of its own, after which the run is checked again.
   */
  runGoesOn: boolean;
  /**
   * A task with an instance queued or running when the finish statement ran, outside the changed
   * task's joinOthers (FinishedAttempt.joinWaitsOn): when it is an upstream of that wide join, the
   * join stays waiting without a probe.
   */
  joinWaitsOn?: string | null;
  /**
   * The places the finish freed: released by the admission of the tasks it made ready (or alone
   * when none is), once the evaluation resolves. (Released first, a free place went to a task
   * waiting in another run before this run's next task could compete for it.)
   */
  freed?: Freed;
}

export class RunEvaluator {
  /** Many tasks of one run ending at once share finish checks (see Coalescer). */
  private readonly finishChecks = new Coalescer<'success' | 'failed' | null>();
  /** The "another upstream unfinished?" probes of wide fan-ins evaluated at once go in one statement. */
  private readonly unfinishedProbes: Batcher<taskInstancesSql.UnfinishedProbe, string[]>;
  /** Resolves when the finish statement in flight (if any) has returned (see finishesSettleFirst). */
  private finishesSettled: () => Promise<void> = () => Promise.resolve();

  constructor(
    private readonly db: Queryable,
    private readonly dags: DagCache,
    private readonly publisher: AttemptPublisher,
    /** Ready tasks are queued through it (pools and concurrency limits). */
    private readonly admission: Admission,
    /** Called once when an evaluation finished a run. */
    private readonly onRunFinished: (run: RunRef, state: 'success' | 'failed') => void,
    /** core.max_map_length: most instances of one mapped task. */
    private readonly maxMapLength = 1024,
    /** A DAG run callback request was recorded: run it soon. */
    private readonly onCallbackRequested: () => void = () => undefined,
    /** Alert outbox rows of a DAG run event were recorded: send them soon. */
    private readonly onAlertRequested: () => void = () => undefined,
    /** A run of this DAG was evaluated (its task or run states may have changed): must not wait for anything. */
    private readonly onEvaluated: (dagId: string) => void = () => undefined,
  ) {
    this.unfinishedProbes = new Batcher((probes) => taskInstancesSql.unfinishedExceptMany(db, probes));
  }

  /**
   * When `taskId`'s only downstream is a wide join that waits for all its upstreams (after a
   * success): the DAG's tasks that do not hold it back, for its finish statement to say whether
   * another upstream of it is queued or running (FinishInput.joinOthers). Null: no such join, its
   * upstreams are not most of the DAG (the probe in planDownstream decides), or the DAG has mapped
   * tasks (evaluated from every instance, see evaluateRun: the answer would go unused).
   */
  joinOthers(compiled: CompiledDag, taskId: string): readonly string[] | null {
    const downstream = compiled.tasks.get(taskId)?.downstream ?? [];
    if (compiled.hasMapped || downstream.length !== 1) return null;
    const join = compiled.tasks.get(downstream[0]!);
    return waitsForManyMore(join, 1) ? upstreamsOf(compiled, downstream[0]!, join.upstream).others : null;
  }

  /**
   * The task a success of `taskId` makes ready with nothing to read: its only downstream task,
   * when that task has no other upstream, its trigger rule is met by this success, and the cheap
   * admission would queue it (a DAG without mapped tasks or depends_on_past; no per-task limit; not
   * a deferred sensor). Null otherwise. The finish statement may claim it for the reporting worker
   * (FinishInput.chainClaim); when it did, the run needs no evaluation (see chainClaimed).
   */
  chainNext(compiled: CompiledDag, taskId: string): SerializedTask | null {
    let byTask = chainCache.get(compiled);
    if (byTask === undefined) chainCache.set(compiled, (byTask = new Map()));
    let next = byTask.get(taskId);
    if (next === undefined) byTask.set(taskId, (next = chainSuccessor(compiled, taskId)));
    return next;
  }

  /**
   * A finish statement claimed the ended task's chain successor itself: nothing is left to plan (the
   * run goes on), and whoever waits on this DAG's task states is told, as after an evaluation.
   */
  chainClaimed(run: RunRef): void {
    this.onEvaluated(run.dagId);
  }

  /**
   * Finish statements skip the run's finish check (and mapped instances their downstream
   * evaluation) when they saw another instance queued or running. Such an instance may also be
   * ended by a hand-made change (mark, clear, terminate) committed while that finish statement
   * ran; the evaluation that change causes must then see the finish statement's writes: every
   * evaluation not made right after a finish, and every finish check, first waits for `settled`.
   */
  finishesSettleFirst(settled: () => Promise<void>): void {
    this.finishesSettled = settled;
  }

  /**
   * `changed`: tasks that just reached a finished state, with that state (their downstream is
   * looked at), or 'all' to look at every task of the run. `after`: given right after the finish
   * statement that ended them.
   */
  async evaluate(run: RunRef, changed: ReadonlyMap<string, TaskInstanceState> | 'all', after?: AfterFinish): Promise<EvaluationResult> {
    try {
      if (after === undefined) await this.finishesSettled();
      return await this.evaluateRun(run, changed, after);
    } finally {
      this.onEvaluated(run.dagId);
    }
  }

  private async evaluateRun(run: RunRef, given: ReadonlyMap<string, TaskInstanceState> | 'all', after: AfterFinish | undefined): Promise<EvaluationResult> {
    const hold = after?.hold;
    const compiled = await this.dags.forRun(run.dagId, run.dagHash);
    const changed = given === 'all' ? given : await this.failFast(run, compiled, given);
    const stopped = changed !== given;
    const release = (ready: string[]): Promise<string[]> => releasedByPast(this.db, run, compiled, ready);
    if (compiled.hasMapped) {
      // Mapped tasks have one instance per map index: plan from every instance (mapped-evaluation.ts).
      const { queued, notRun } = await evaluateMappedRun(this.db, this.admission, run, compiled, this.maxMapLength, release, after?.freed ?? null);
      await this.publisher.publish(queued);
      await this.evaluateNextRun(run, compiled, changed, notRun);
      if (queued.length > 0) return { queued: queued.length, finished: null, held: null };
      return { queued: 0, finished: await this.checkFinished(run, compiled), held: null };
    }
    const plan = changed === 'all' ? await this.planAll(run, compiled) : await this.planDownstream(run, compiled, changed, after?.joinWaitsOn ?? null);
    const [, , , queued] = await Promise.all([
      taskInstancesSql.markNotRun(this.db, run, plan.remove, 'removed'),
      taskInstancesSql.markNotRun(this.db, run, plan.upstreamFailed, 'upstream_failed'),
      taskInstancesSql.markNotRun(this.db, run, plan.skip, 'skipped'),
      compiled.pastWatched.size === 0
        ? this.admission.admit(run, plan.queue.map((t) => compiled.tasks.get(t)!), after?.freed ?? null)
        : release(plan.queue).then((ready) => this.admission.admit(run, ready.map((t) => compiled.tasks.get(t)!), after?.freed ?? null)),
    ]);
    // The caller claims the held attempt for its worker at once; it publishes it if that fails.
    const heldAt = hold === undefined ? -1 : queued.findIndex(hold);
    const held = heldAt < 0 ? null : queued[heldAt]!;
    await this.publisher.publish(heldAt < 0 ? queued : queued.filter((_, i) => i !== heldAt));
    await this.evaluateNextRun(run, compiled, changed, [...plan.skip, ...plan.remove]);
    // Something was queued: the run goes on. (A task queued by a concurrent evaluation instead is
    // seen by the finish check as unfinished.)
    if (queued.length > 0) return { queued: queued.length, finished: null, held };
    // Another instance was queued or running at the finish and this evaluation ended nothing
    // more: the run cannot finish yet, and that instance's own finish checks again.
    const endedMore = stopped || plan.skip.length > 0 || plan.upstreamFailed.length > 0 || plan.remove.length > 0;
    if (after?.runGoesOn === true && !endedMore) return { queued: 0, finished: null, held: null };
    return { queued: 0, finished: await this.checkFinished(run, compiled), held: null };
  }

  /**
   * A failFast DAG's task failed for good: the run's other unfinished tasks stop (running ones fail
   * and their workers kill them, the others are skipped), but the failed tasks' downstream, which
   * their trigger rules (all_success) make upstream_failed, and teardowns, which still run. Returns
   * `changed` with the tasks it stopped (their downstream is planned too), or `changed` itself.
   */
  private async failFast(run: RunRef, compiled: CompiledDag, changed: ReadonlyMap<string, TaskInstanceState>): Promise<ReadonlyMap<string, TaskInstanceState>> {
    const failed = [...changed].filter(([, state]) => state === 'failed').map(([taskId]) => taskId);
    if (compiled.dag.failFast !== true || failed.length === 0) return changed;
    const keep = new Set(failed);
    for (const walk = [...failed]; walk.length > 0;) {
      for (const d of compiled.tasks.get(walk.pop()!)?.downstream ?? []) {
        if (keep.has(d)) continue;
        keep.add(d);
        walk.push(d);
      }
    }
    for (const t of compiled.tasks.values()) if (t.teardown !== undefined) keep.add(t.taskId);
    const reason = `stopped: task '${failed.join("', '")}' failed and the DAG fails fast (failFast)`;
    const stopped = await failFastSql.stopRunTasks(this.db, run, [...keep], reason);
    if (stopped.length === 0) return changed;
    const merged = new Map(changed);
    for (const s of stopped) if (!merged.has(s.taskId)) merged.set(s.taskId, s.state);
    return merged;
  }

  /**
   * A task another run's depends_on_past waits for ended: evaluate the next run by logical date
   * (which in turn releases the one after it when its tasks end).
   */
  private async evaluateNextRun(
    run: RunRef,
    compiled: CompiledDag,
    changed: ReadonlyMap<string, TaskInstanceState> | 'all',
    notRun: readonly string[],
  ): Promise<void> {
    // Nothing to build on the hot path unless this DAG uses depends_on_past.
    if (compiled.pastWatched.size === 0) return;
    const ended: Array<[string, TaskInstanceState]> = [...(changed === 'all' ? [] : changed), ...notRun.map((t): [string, TaskInstanceState] => [t, 'skipped'])];
    if (!releasesNextRun(compiled, ended)) return;
    const next = await pastRunsSql.nextRunningRun(this.db, run);
    if (next !== null) await this.evaluate(next, 'all');
  }

  /** Finishes the run when no task instance is unfinished; checks of one run are coalesced. */
  private checkFinished(run: RunRef, compiled: CompiledDag): Promise<'success' | 'failed' | null> {
    return this.finishChecks.run(run.dagRunId, async () => {
      await this.finishesSettled();
      const callbacks = (compiled.dag.callbacks ?? []).filter((e) => e !== 'onDeadlineMiss');
      const alerts = alertsSql.alertRequestsOf(compiled.dag.alerts, ['onDagRunSuccess', 'onDagRunFailure']);
      const state = await dagRunsSql.finishDagRunIfDone(this.db, run.dagRunId, compiled.leaves, callbacks, alerts);
      if (state !== null && callbacks.length > 0) this.onCallbackRequested();
      // A success may also be a recovery, told to the failure notifiers.
      if (state !== null && alerts.some((a) => a.event === 'onDagRunFailure' || (state === 'success' && a.event === 'onDagRunSuccess'))) this.onAlertRequested();
      if (state !== null) this.onRunFinished(run, state);
      return state;
    });
  }

  /**
   * Whether an upstream of a wide fan-in's join other than those that just ended (`changed`) is
   * unfinished. When the upstreams are most of the DAG, the probe names the other tasks instead:
   * the list it sends stays small. Rows of tasks in neither list (a task no longer in the DAG) come
   * back too; past UNLISTED_MAX of those without an answer, the probe with the full list decides.
   */
  private async anyUnfinished(run: RunRef, ups: Upstreams, changed: ReadonlyMap<string, TaskInstanceState>): Promise<boolean> {
    const isOpen = (t: string): boolean => ups.set.has(t) && !changed.has(t);
    if (ups.others !== null && ups.others.length + changed.size < ups.set.size) {
      const found = await this.unfinishedProbes.submit({ dagRunId: run.dagRunId, except: [...ups.others, ...changed.keys()], limit: UNLISTED_MAX });
      if (found.some(isOpen)) return true;
      if (found.length < UNLISTED_MAX) return false;
    }
    return taskInstancesSql.anyUnfinished(this.db, run, [...ups.set].filter(isOpen));
  }

  private async planAll(run: RunRef, compiled: CompiledDag): Promise<ReadinessPlan> {
    const states = await taskInstancesSql.taskStates(this.db, run, null);
    const skippedByControl = compiled.controls.length === 0 ? undefined : await controlSkips(this.db, run, compiled, states);
    return planReadiness({ tasks: compiled.tasks, states, candidates: compiled.tasks.keys(), complete: true, skippedByControl });
  }

  /**
   * The hot path. Only the states of the candidates' OTHER upstreams are read (none at all in a
   * chain or fan-out); candidates are assumed waiting, which the guarded queueing statement checks.
   * Any skip or failure verdict is re-planned from all real states (not the hot path).
   */
  private async planDownstream(run: RunRef, compiled: CompiledDag, changed: ReadonlyMap<string, TaskInstanceState>, joinWaitsOn: string | null): Promise<ReadinessPlan> {
    const candidates = new Set<string>();
    for (const t of changed.keys()) for (const d of compiled.tasks.get(t)?.downstream ?? []) candidates.add(d);
    if (candidates.size === 0) return NOTHING;
    // A wide fan-in's join after successes: while another upstream is unfinished it stays waiting.
    // One "any unfinished?" probe instead of reading every upstream's state on each of its ends,
    // which made a fan-in of N tasks cost N^2 row reads; its upstream lists are made once per DAG
    // version, not on each end.
    if (candidates.size === 1 && [...changed.values()].every((s) => s === 'success')) {
      const joinId = [...candidates][0]!;
      const join = compiled.tasks.get(joinId);
      // At most changed.size of them just ended (the others are still to be read).
      if (waitsForManyMore(join, changed.size)) {
        const ups = upstreamsOf(compiled, joinId, join.upstream);
        // The finish statement may have answered already: another upstream was queued or running.
        if ((joinWaitsOn !== null && ups.set.has(joinWaitsOn)) || await this.anyUnfinished(run, ups, changed)) return NOTHING;
      }
    }
    const toRead = new Set<string>();
    for (const c of candidates) {
      for (const u of compiled.tasks.get(c)?.upstream ?? []) if (!changed.has(u)) toRead.add(u);
    }
    const states = toRead.size === 0 ? new Map<string, TaskInstanceState>() : await taskInstancesSql.taskStates(this.db, run, [...toRead]);
    for (const [t, state] of changed) states.set(t, state);
    for (const c of candidates) if (!states.has(c)) states.set(c, 'none');
    const plan = planReadiness({ tasks: compiled.tasks, states, candidates, complete: false });
    const certain = !plan.needsAllStates && plan.skip.length === 0 && plan.upstreamFailed.length === 0;
    return certain ? plan : this.planAll(run, compiled);
  }
}
