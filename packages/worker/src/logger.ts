/**
 * The worker's own log (not task logs): any pino-compatible logger. Calls are always
 * `(fields, message)`, so pino loggers plug in directly.
 */
import { createLogger } from '@updraft/core';

export interface WorkerLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** The default: JSON lines on stdout through core's logger, named `worker`. */
export function defaultWorkerLogger(): WorkerLogger {
  return createLogger({ name: 'worker' });
}

/** A logger that drops everything (tests, runTaskLocally). */
export const silentLogger: WorkerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
