/** The one error a transport throws when an alert could not be sent; the sender records its message. */
export class AlertSendError extends Error {
  /** Whether sending again later may succeed (a network error, a 5xx, a rate limit). */
  readonly retryable: boolean;
  /** Wait the receiver asked for (Slack's Retry-After), in ms. */
  readonly retryAfterMs: number | null;

  constructor(message: string, o: { retryable: boolean; retryAfterMs?: number | null; cause?: unknown }) {
    super(message, { cause: o.cause });
    this.name = 'AlertSendError';
    this.retryable = o.retryable;
    this.retryAfterMs = o.retryAfterMs ?? null;
  }
}
