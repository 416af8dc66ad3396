/**
 * Component logs: pino, JSON lines on stdout (pipe through any JSON viewer to read them).
 * Task logs are separate files written by the worker, not this logger.
 */
import { pino } from 'pino';
import type { DestinationStream } from 'pino';
import type { LogLevel } from '../config/options.js';

/**
 * The one logger type of Updraft's components: what they call, always `(fields, message)`. A pino
 * logger is one; tests pass anything with these four methods.
 */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** A logger that drops everything (the default of components that are given none). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

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
