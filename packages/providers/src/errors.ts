/**
 * Errors of the built-in task types. Each says what failed in words a DAG author can act on and
 * keeps the driver's or server's error as `cause`. A task fails with the error's message; its
 * retries policy (`retries`, `retryDelay`) then applies as for any failed try.
 */

/** A connection whose conn_type the task type or hook cannot use. */
export class ConnectionTypeError extends Error {
  constructor(readonly connId: string, readonly connType: string, expected: readonly string[]) {
    super(`connection '${connId}' has conn_type '${connType}'; expected one of: ${expected.join(', ')}`);
    this.name = 'ConnectionTypeError';
  }
}

/** A SQL statement the server refused: names its position among the task's statements. */
export class SqlStatementError extends Error {
  constructor(readonly statementNumber: number, readonly statementCount: number, serverMessage: string, options?: { cause?: unknown }) {
    super(`statement ${statementNumber} of ${statementCount} failed: ${serverMessage}`, options);
    this.name = 'SqlStatementError';
  }
}

/** What an HTTP request ended with when it is not a success. */
export class HttpError extends Error {
  /** True for a failure that may go away by itself (5xx status, network error). */
  readonly retryable: boolean;
  /** The response status; undefined when no response came (network error). */
  readonly status: number | undefined;
  constructor(message: string, o: { retryable: boolean; status?: number; cause?: unknown }) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'HttpError';
    this.retryable = o.retryable;
    this.status = o.status;
  }
}

/** A 5xx answer or a network error: worth another try (the task's `retries`). */
export class HttpRetryableError extends HttpError {
  constructor(message: string, o: { status?: number; cause?: unknown } = {}) {
    super(message, { ...o, retryable: true });
    this.name = 'HttpRetryableError';
  }
}

/** A 4xx answer, or a response that `responseCheck` refused. */
export class HttpResponseError extends HttpError {
  constructor(message: string, status: number) {
    super(message, { retryable: false, status });
    this.name = 'HttpResponseError';
  }
}

/** A SQL sensor that stops waiting: its failure criteria met, no row with failOnEmpty, or no connection. */
export class SqlSensorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`sensors.sql: ${message}`, options);
    this.name = 'SqlSensorError';
  }
}

/** An e-mail the SMTP server did not accept, or that could not be sent. */
export class EmailSendError extends Error {
  /** False for a 5xx answer or a refused login (another try will not help); true otherwise. */
  readonly retryable: boolean;
  constructor(message: string, o: { retryable: boolean; cause?: unknown }) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'EmailSendError';
    this.retryable = o.retryable;
  }
}

/** A Slack message not posted: a network error, an HTTP error status or a Web API `ok: false`. */
export class SlackSendError extends Error {
  /** True for a network error, a 5xx or a 429 (another try may pass). */
  readonly retryable: boolean;
  /** The response status; undefined when no response came. */
  readonly status: number | undefined;
  /** The answer's Retry-After in seconds, when it had one. */
  readonly retryAfter: number | undefined;
  constructor(message: string, o: { retryable: boolean; status?: number; retryAfter?: number; cause?: unknown }) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'SlackSendError';
    this.retryable = o.retryable;
    this.status = o.status;
    this.retryAfter = o.retryAfter;
  }
}

/** An SSH command that could not run, ran too long or exited with a non-zero status. */
export class SshCommandError extends Error {
  /** The command's exit status; undefined when it did not run to its end. */
  readonly exitStatus: number | null | undefined;
  constructor(message: string, o: { exitStatus?: number | null; cause?: unknown } = {}) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'SshCommandError';
    this.exitStatus = o.exitStatus;
  }
}

/** An S3 call failed (what was asked, on which connection, and the service's words). */
export class S3Error extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'S3Error';
  }
}
