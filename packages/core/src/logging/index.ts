/**
 * Component logs: pino, JSON lines on stdout (pipe through any JSON viewer to read them).
 * Task logs are separate files written by the worker, not this logger.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from '../config/options.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  /** Component name, logged as `name` on every line (e.g. `scheduler`, `worker`). */
  name: string;
  /** Default `info`; `silent` turns logging off (tests). */
  level?: LogLevel | 'silent';
  /** Default stdout. */
  destination?: DestinationStream;
}

export function createLogger({ name, level = 'info', destination }: CreateLoggerOptions): Logger {
  const options = { name, level, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}
