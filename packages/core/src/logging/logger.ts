/**
 * Component logs: pino, JSON lines on stdout, or readable lines coloured by level (./pretty.ts)
 * when `format` is 'pretty' (logging.format; `auto`, the default, is pretty on a terminal).
 * Task logs are separate files written by the worker, not this logger.
 */
import { pino } from 'pino';
import type { DestinationStream } from 'pino';
import type { LogLevel } from '../config/options.js';
import { prettyDestination } from './pretty.js';

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
  /** `json` (default): JSON lines; `pretty`: readable lines, coloured by level when stdout is a terminal. */
  format?: 'json' | 'pretty';
}

export function createLogger({ name, level = 'info', destination, format = 'json' }: CreateLoggerOptions): Logger {
  const options = { name, level, timestamp: pino.stdTimeFunctions.isoTime };
  const out = destination ?? (format === 'pretty' ? prettyDestination(process.stdout.isTTY === true && !process.env.NO_COLOR) : undefined);
  return out ? pino(options, out) : pino(options);
}

/** The format logging.format asks for: `auto` is pretty when stdout is a terminal, JSON otherwise. */
export function resolveLogFormat(setting: string): 'json' | 'pretty' {
  if (setting === 'pretty' || setting === 'json') return setting;
  return process.stdout.isTTY === true ? 'pretty' : 'json';
}
