/**
 * The worker's task-log shipping: one publisher (NATS connection) and one TryLogShipper per try
 * being written or still being sent. See try-shipper.ts for the protocol.
 */
import { startTaskLogPublisher, taskLogSubject, type Logger, type TaskLogKey, type TaskLogPublisher, type TaskLogPublisherOptions } from '@updraft/core';
import type { TaskLogSink } from '../logs.js';
import { TryLogShipper } from './try-shipper.js';

export class LogShipping {
  private readonly tries = new Set<TryLogShipper>();

  constructor(
    private readonly publisher: TaskLogPublisher,
    private readonly logger: Logger,
  ) {
    publisher.onChange((ready) => {
      for (const t of this.tries) t.connectionChanged(ready);
    });
  }

  /** Connects in the background; tasks run and log to their files meanwhile. */
  static start(o: TaskLogPublisherOptions & { logger: Logger }): LogShipping {
    return new LogShipping(startTaskLogPublisher({ name: 'updraft-worker-logs', ...o }), o.logger);
  }

  /** The sink of one try's log writer. */
  open(key: TaskLogKey, tryNumber: number, file: string): TaskLogSink & { readonly finished: Promise<void> } {
    return new TryLogShipper(taskLogSubject(key, tryNumber), file, this.publisher, {
      onActive: (s) => this.tries.add(s),
      onDone: (s) => this.tries.delete(s),
      logger: this.logger,
    });
  }

  /** Tries whose log is not completely in the stream yet. */
  get unshipped(): number {
    return this.tries.size;
  }

  /** Waits up to `timeoutMs` for every log to be in the stream, then disconnects. */
  async close(timeoutMs: number): Promise<void> {
    if (this.tries.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...this.tries].map((t) => t.finished)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
      if (this.tries.size > 0) {
        this.logger.warn({ tries: [...this.tries].map((t) => t.subject) }, 'worker stopping: these tries\' logs are not all in the task log stream; they stay in the local files');
      }
    }
    await this.publisher.close();
  }
}
