/**
 * The live stream of task events. The database's change notifications (migration 0006: a
 * statement wrote task instances or tries) wake a read of the tries that moved since the last
 * read (plus a tick every refresh interval as a safety net); each try yields the events it passed
 * through (queued, started, then how it ended) that were not emitted yet.
 *
 * Memory is bounded by construction, however many tries arrive and however fast:
 * - a read pages forward in (moment, try key) order, each page starting strictly after the last
 *   try of the previous one (a stable cursor), so a page is at most `batch` rows even when one
 *   statement wrote 100,000 tries at one moment, and a try read whole is not read again going
 *   forward; the next read starts after the last try read;
 * - late commits (a transaction whose moment is before the cursor, committed after the read
 *   passed it) are caught by looking back: a little (250 ms) on every read while the newest try is
 *   that recent, the whole window (10 s) every few seconds; looked-back tries already emitted are
 *   recognised and skipped;
 * - the tries remembered (emitted stages per try) are those within twice the look-back window and
 *   at most `maxRemembered`: past that the oldest are forgotten and no read looks back at or
 *   before their moment any more (a late commit there is not announced: the feed drops rather
 *   than grows; /api/tasks still reads it from the database).
 */
import type pg from 'pg';
import { fleetSql, listen, messageOf, type Listener, type Logger, type Queryable } from '@updraft/core/data';
import { eventOf, type TaskEventName } from '../model/task-events.js';

export interface TaskEvent {
  event: TaskEventName;
  /** When, in milliseconds since the epoch. */
  atMs: number;
  dagId: string;
  runId: string;
  taskId: string;
  mapIndex: number;
  tryNumber: number;
  queue: string;
  worker: string | null;
  /** started: seconds from queued to started; ended: the run's seconds. */
  queuedSeconds?: number;
  runSeconds?: number;
}

export interface TaskFeedOptions {
  db: Queryable;
  /** Where to LISTEN (the pool's connection settings); without it the feed reads on its tick only. */
  connection?: pg.ClientConfig;
  refreshIntervalMs: number;
  logger?: Logger;
  onEvents: (events: TaskEvent[]) => void;
  /** How far back the periodic full read looks past the newest event seen (late commits). Default 10000. */
  lookBackMs?: number;
  /** How far back the other reads look. Default 250. */
  shortLookBackMs?: number;
  /** How often a read looks back the whole lookBackMs. Default 5000. */
  fullLookBackEveryMs?: number;
  /** Rows per page. Default 100: a page's rows and events are alive while it is read, and what is alive at a young-generation collection is promoted, so a small page keeps the old generation (and the young one) from growing under a burst (bench burst: peak RSS 155 MB with 1,000 rows, 148 MB with 250; with 100, and lean rows, 119-138 MB), at the same speed. */
  batch?: number;
  /** Most tries remembered (to emit each stage once); past it the oldest are forgotten. Default 20000 (about 2 MB). */
  maxRemembered?: number;
}

const CHANNEL = 'updraft_changes';
/**
 * A try's key as one flat string: a template literal is a tree of string pieces that keeps the
 * row's strings alive; converting it to a number (NaN, unused) makes V8 flatten it in place, so a
 * remembered key costs one short string, not the row's.
 */
function keyOf(t: fleetSql.FeedTry): string {
  const key = `${t.dagId}\u0000${t.runId}\u0000${t.taskId}\u0000${t.mapIndex}\u0000${t.tryNumber}`;
  void Number(key);
  return key;
}
/** What is remembered per try, packed into one number: its latest moment (ms) * 4 + the stages emitted (0..3). */
const packSeen = (at: number, stages: number): number => at * 4 + stages;
const seenAt = (v: number): number => Math.floor(v / 4);
const seenStages = (v: number): number => v % 4;

/** A page's events, oldest first. */
const byMoment = (a: TaskEvent, b: TaskEvent): number => a.atMs - b.atMs;

export class TaskFeed {
  /** The last try read going forward (exact moment and key), and its moment in ms. */
  private position: fleetSql.TryEventPosition | undefined;
  private positionMs = 0;
  /** The newest moment (ms) of a try forgotten because too many were remembered: reads no longer look back to it. */
  private forgottenUpTo = -Infinity;
  /** When the feed started: what happened before is history, never emitted. */
  private startedAt = 0;
  /** Emitted stages per try key with the try's latest moment, packed (packSeen); pruned past the look-back window. */
  private readonly seen = new Map<string, number>();
  private listener: Listener | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private lastFullRead = 0;
  /** The database's clock minus this process's (reads look back from the database's now). */
  private skewMs = 0;
  /** Events emitted since start. */
  emitted = 0;

  constructor(private readonly o: TaskFeedOptions) {}

  /** Starts from now: earlier events are history (read by /api/tasks), not news. */
  async start(): Promise<void> {
    this.startedAt = (await fleetSql.databaseNow(this.o.db)).getTime();
    this.positionMs = this.startedAt;
    this.skewMs = this.startedAt - Date.now();
    if (this.o.connection) {
      this.listener = listen({
        connection: this.o.connection, channel: CHANNEL,
        onNotify: () => this.poke(),
        onReconnect: () => this.poke(),
        onError: (err) => this.o.logger?.warn({ err: err.message }, 'monitor: the LISTEN connection failed; reconnecting'),
      });
      await this.listener.ready.catch((err: unknown) => this.o.logger?.warn({ err: messageOf(err) }, 'monitor: could not LISTEN; reading on the tick only'));
    }
    this.timer = setInterval(() => this.poke(), this.o.refreshIntervalMs);
    this.timer.unref();
  }

  /** Read now (coalesced: one read at a time, one more if poked meanwhile). */
  poke(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.readAll()
      .catch((err: unknown) => this.o.logger?.warn({ err: messageOf(err) }, 'monitor: reading task events failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Resolves when no read is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async readAll(): Promise<void> {
    const lookBack = this.o.lookBackMs ?? 10_000;
    const full = Date.now() - this.lastFullRead >= (this.o.fullLookBackEveryMs ?? 5000);
    if (full) this.lastFullRead = Date.now();
    const limit = this.o.batch ?? 100;
    const back = full ? lookBack : Math.min(lookBack, this.o.shortLookBackMs ?? 250);
    // Look back from the newest try read, but not past the database's now minus the look-back (a
    // commit later than that is not waited for, so a quiet feed after a burst re-reads nothing),
    // nor to a moment whose tries were forgotten. With nothing to look back at, start after the
    // last try read (before the first one: at the feed's start).
    const dbNow = Date.now() + this.skewMs;
    const from = Math.max(this.positionMs - back, dbNow - back, this.forgottenUpTo + 1);
    let page: { since?: Date; after?: fleetSql.TryEventPosition } =
      from <= this.positionMs ? { since: new Date(from) } : this.position ? { after: this.position } : { since: new Date(this.positionMs) };
    for (;;) {
      const { tries, last } = await fleetSql.tryEventsForward(this.o.db, { ...page, limit });
      const events: TaskEvent[] = [];
      for (const t of tries) this.collect(t, events);
      if (events.length > 0) {
        events.sort(byMoment);
        this.emitted += events.length;
        this.o.onEvents(events);
      }
      if (!last) break;
      const lastMs = tries.at(-1)!.atMs;
      if (lastMs >= this.positionMs) {
        this.position = last;
        this.positionMs = lastMs;
      }
      if (tries.length < limit) break;
      page = { after: last };
    }
    // No read looks back past the database's now minus the look-back, so a try older than twice
    // that is never seen again: forget it even when the feed has gone quiet after a burst.
    const horizon = Math.max(this.positionMs, dbNow) - 2 * lookBack;
    for (const [key, v] of this.seen) if (seenAt(v) < horizon) this.seen.delete(key);
  }

  /**
   * The stages of a try not emitted yet (queued, started, then how it ended), appended to `out`.
   * A try that is not remembered and whose moment is after a forgotten one does not repeat its
   * stages at or before that moment: they were emitted when read (its entry was forgotten since),
   * or committed too late to be announced. A try read at or before a forgotten moment is not
   * remembered: no read looks back there, so it is read once (under a burst, remembering each of
   * them only to forget it again was most of what the feed kept alive).
   */
  private collect(t: fleetSql.FeedTry, out: TaskEvent[]): void {
    const key = keyOf(t);
    const prev = this.seen.get(key);
    const from = prev === undefined ? 0 : seenStages(prev);
    const atMs = Math.floor(t.atMs);
    const floor = prev === undefined && atMs > this.forgottenUpTo ? this.forgottenUpTo : -Infinity;
    const ended = t.tryState === 'success' || t.tryState === 'failed';
    let stage = 0;
    if (t.queuedMs !== null) {
      if (stage >= from && this.fresh(t.queuedMs, floor)) out.push(this.event(t, 'queued', t.queuedMs));
      stage++;
    }
    if (t.startedMs !== null) {
      if (stage >= from && this.fresh(t.startedMs, floor)) {
        const e = this.event(t, 'started', t.startedMs);
        if (t.queuedMs !== null) e.queuedSeconds = Math.max(0, (t.startedMs - t.queuedMs) / 1000);
        out.push(e);
      }
      stage++;
    }
    if (ended) {
      const at = t.endedMs ?? t.atMs;
      if (stage >= from && this.fresh(at, floor)) {
        const e = this.event(t, eventOf(t), at);
        e.runSeconds = t.durationMs !== null ? t.durationMs / 1000 : t.startedMs !== null && t.endedMs !== null ? (t.endedMs - t.startedMs) / 1000 : undefined;
        out.push(e);
      }
      stage++;
    }
    if (prev === undefined && atMs <= this.forgottenUpTo) return;
    // Re-inserted so the Map's order stays oldest-remembered first (what is forgotten first).
    if (prev !== undefined) this.seen.delete(key);
    else if (this.seen.size >= (this.o.maxRemembered ?? 20_000)) this.forgetOldest();
    this.seen.set(key, packSeen(atMs, Math.max(from, stage)));
  }

  /** A stage is news when it happened after the feed started and after `floor` (ms). */
  private fresh(ms: number, floor: number): boolean {
    return ms >= this.startedAt && Math.floor(ms) > floor;
  }

  private event(t: fleetSql.FeedTry, event: TaskEventName, atMs: number): TaskEvent {
    return {
      event, atMs, dagId: t.dagId, runId: t.runId, taskId: t.taskId, mapIndex: t.mapIndex, tryNumber: t.tryNumber,
      queue: t.queue, worker: t.workerName ?? t.hostname, queuedSeconds: undefined, runSeconds: undefined,
    };
  }

  /** Forgets the oldest tenth of the remembered tries; later reads do not look back to their moments. */
  private forgetOldest(): void {
    let n = Math.max(1, Math.floor(this.seen.size / 10));
    for (const [key, v] of this.seen) {
      if (n-- <= 0) break;
      this.seen.delete(key);
      if (seenAt(v) > this.forgottenUpTo) this.forgottenUpTo = seenAt(v);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.close();
    await this.idle();
  }
}
