/**
 * Sends the alert outbox (slack(), email(), webhook() notifiers): claims due rows with a lease,
 * renders and sends each, marks it sent, or pending again after a backoff (Slack's Retry-After
 * when longer), or failed with the error when retrying cannot help or the attempts are spent.
 * Woken when rows are recorded (in this process, and by LISTEN updraft_alerts) and by a timer set
 * to the next row due (a retry, a group window's end, or a lease a dead scheduler left); it never
 * holds up scheduling. With alerts.group_window, task failures of one run to one notifier wait for
 * the window after the first, or for the run's end when that comes first (runEnded), and go out as
 * one message.
 *
 * Exactly once: a row is marked sent in the statement right after the send returns, guarded by
 * its claim. A scheduler killed between a send and that mark leaves the row to be sent again once
 * its lease runs out (the receiver may then see it twice: e-mails carry a stable Message-ID and
 * webhooks an Idempotency-Key for that); killed before the send completes, it is sent once.
 */
import { alertMutesSql, alertsSql, connEnvName, messageOf, readConnections, type Connection, type Logger, type Queryable, type SecretsContext } from '@updraft/core';
import { logTail, uiLink } from '../engine/try-links.js';
import { sendEmail } from './email.js';
import { AlertSendError } from './errors.js';
import { buildGroupMessage, buildMessage, type AlertMessage } from './message.js';
import { sendSlack } from './slack.js';
import { sendWebhook, webhookUrl } from './webhook.js';

export interface AlertSettings {
  /** Public URL of the web UI, for the View log link (webserver.base_url). */
  baseUrl: string;
  /** Where try logs are, for the last log lines; null: none. */
  logFolder: string | null;
  /** Sends of one alert before it is marked failed (alerts.max_attempts). */
  maxAttempts: number;
  /** First wait before a send is tried again, doubled per attempt up to 10 minutes (alerts.retry_delay). */
  retryDelayMs: number;
  /** Limit of one send (alerts.send_timeout); the lease of a claim is twice this plus 5 s. */
  sendTimeoutMs: number;
  /** Task failures of one run to one notifier within this window go out as one message (alerts.group_window); 0: each at once. */
  groupWindowMs: number;
}

const BATCH = 20;
const MAX_RETRY_DELAY_MS = 10 * 60_000;

export class AlertSender {
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** Whether a task failure waits for its group window in a run that has not ended (as of the last drain). */
  private held = false;

  constructor(
    private readonly db: Queryable,
    private readonly secrets: SecretsContext,
    private readonly s: AlertSettings,
    private readonly logger: Logger,
  ) {}

  /** Sends due rows soon (coalesced: one drain at a time, repeated when woken meanwhile). */
  wake(): void {
    if (this.stopped) return;
    if (this.draining !== undefined) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /**
   * A run ended: the task failures of it waiting for their group window are due now (no other
   * failure of the run can join them). Reads nothing unless the last drain saw such a failure or
   * a drain is under way (it may have read the run before it ended: it goes again).
   */
  runEnded(): void {
    if (this.held || this.draining !== undefined) this.wake();
  }

  /** Takes no new rows and waits for the sends in progress to be marked. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.draining;
  }

  private get leaseMs(): number {
    return 2 * this.s.sendTimeoutMs + 5000;
  }

  private async drain(): Promise<void> {
    try {
      const claim = (): Promise<alertsSql.ClaimedAlert[]> => alertsSql.claimAlerts(this.db, BATCH, this.leaseMs, this.s.groupWindowMs);
      for (let claimed = await claim(); claimed.length > 0; claimed = this.stopped ? [] : await claim()) {
        // Alerts of a muted DAG (`updraft alerts mute`) are marked muted, not sent.
        const muted = await alertMutesSql.markMutedAlerts(this.db, claimed);
        if (muted.size > 0) this.logger.info({ alerts: muted.size }, 'alerts of muted DAGs not sent (marked muted)');
        const batch = claimed.filter((a) => !muted.has(a.id));
        if (batch.length === 0) continue;
        const connections = await this.connectionsOf(batch);
        await Promise.all(this.groupsOf(batch).map((g) => this.sendGroup(g, connections)));
      }
      if (!this.stopped) {
        const next = await alertsSql.nextAlertDue(this.db, this.s.groupWindowMs);
        this.held = next.held;
        this.arm(next.inMs);
      }
    } catch (err) {
      this.logger.error({ err }, 'sending alerts failed; trying again later');
      this.arm(this.s.retryDelayMs);
    }
  }

  /** Wakes when the next row is due. */
  private arm(inMs: number | null): void {
    if (inMs === null || this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.min(inMs + 20, 2 ** 31 - 1));
    this.timer.unref();
  }

  /** The batch's connections, or the error reading them (each send of the batch fails with it and is retried). */
  private async connectionsOf(batch: readonly alertsSql.ClaimedAlert[]): Promise<Map<string, Connection> | AlertSendError> {
    const ids = batch.map((a) => a.target.connId).filter((id): id is string => id !== null);
    try {
      return ids.length === 0 ? new Map() : await readConnections(this.db, this.secrets, ids);
    } catch (err) {
      return new AlertSendError(`reading connections ${[...new Set(ids)].map((id) => `'${id}'`).join(', ')} failed: ${messageOf(err)}`, { retryable: true, cause: err });
    }
  }

  /** The batch as messages: task failures of one run to one notifier together (with a group window), every other row alone. */
  private groupsOf(batch: readonly alertsSql.ClaimedAlert[]): alertsSql.ClaimedAlert[][] {
    const groups = new Map<string, alertsSql.ClaimedAlert[]>();
    for (const a of batch) {
      const key = this.s.groupWindowMs > 0 && a.event === 'onFailure' ? JSON.stringify([a.dagId, a.runId, a.target]) : `row ${a.id}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [a]);
      else group.push(a);
    }
    return [...groups.values()];
  }

  private async messageOf(group: readonly alertsSql.ClaimedAlert[]): Promise<AlertMessage> {
    const link = (a: alertsSql.ClaimedAlert): string =>
      uiLink(this.s.baseUrl, a.dagId, a.runId, a.taskId === null ? undefined : { taskId: a.taskId, tryNumber: a.tryNumber, mapIndex: a.mapIndex });
    const a = group[0]!;
    if (group.length > 1) return buildGroupMessage(group, { logUrls: group.map(link), runUrl: uiLink(this.s.baseUrl, a.dagId, a.runId) });
    return buildMessage(a, { logTail: a.taskId === null || a.event === 'onExecute' ? [] : await logTail(this.s.logFolder, a.logPath), logUrl: link(a) });
  }

  /** Sends one message for the group's rows and marks each of them with the outcome. */
  private async sendGroup(group: readonly alertsSql.ClaimedAlert[], connections: Map<string, Connection> | AlertSendError): Promise<void> {
    const a = group[0]!;
    const attempts = Math.max(...group.map((r) => r.attempts));
    const what = {
      alertIds: group.map((r) => r.id), dagId: a.dagId, runId: a.runId, taskIds: group.map((r) => r.taskId ?? undefined), event: a.event,
      notifier: a.target.kind, attempt: attempts,
    };
    let failure: AlertSendError | null = null;
    try {
      const message = await this.messageOf(group);
      if (connections instanceof AlertSendError) throw connections;
      await this.deliver(a, message, connections);
    } catch (err) {
      failure = err instanceof AlertSendError ? err : new AlertSendError(messageOf(err), { retryable: true, cause: err });
    }
    try {
      if (failure === null) {
        for (const r of group) await alertsSql.markAlertSent(this.db, r.id, r.attempts);
        this.logger.info(what, 'alert sent');
        return;
      }
      const last = !failure.retryable || attempts >= this.s.maxAttempts;
      const delay = last ? null : Math.max(failure.retryAfterMs ?? 0, Math.min(this.s.retryDelayMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS));
      for (const r of group) await alertsSql.markAlertUnsent(this.db, r.id, r.attempts, failure.message, delay);
      if (last) this.logger.error({ ...what, error: failure.message }, 'alert not sent: marked failed');
      else this.logger.warn({ ...what, error: failure.message, retryInMs: delay }, 'alert not sent: will try again');
    } catch (err) {
      // The lease runs out and the rows are claimed again.
      this.logger.error({ ...what, err }, 'recording an alert\'s outcome failed');
    }
  }

  private async deliver(a: alertsSql.ClaimedAlert, m: AlertMessage, connections: Map<string, Connection>): Promise<void> {
    const t = a.target;
    const connection = (id: string): Connection => {
      const c = connections.get(id);
      if (c === undefined) {
        throw new AlertSendError(`${t.kind} notifier: connection '${id}' is not defined (neither ${connEnvName(id)} on the scheduler nor in the database; add it with \`updraft connections add\`)`, { retryable: true });
      }
      return c;
    };
    switch (t.kind) {
      case 'slack':
        return sendSlack(connection(t.connId), t.channel, m, this.s.sendTimeoutMs);
      case 'email':
        return sendEmail(connection(t.connId), t.to, m, this.s.sendTimeoutMs);
      case 'webhook': {
        const c = t.connId === null ? null : connection(t.connId);
        return sendWebhook(t.url ?? webhookUrl(c!), c, m, this.s.sendTimeoutMs);
      }
      default:
        throw new AlertSendError(`unknown notifier kind '${(t as { kind: string }).kind}'`, { retryable: false });
    }
  }
}
