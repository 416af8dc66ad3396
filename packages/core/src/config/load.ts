/**
 * loadConfig: defaults, then the config file, then `UPDRAFT__SECTION__KEY` variables from the
 * environment (which wins) or `.env`. Every problem found is collected and reported at once in
 * one UpdraftError('CONFIG_INVALID') naming key, source and what is expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { UpdraftError } from '../errors.js';
import { parseIni } from './ini.js';
import { CONFIG_OPTIONS, CONFIG_SECTIONS } from './options.js';
import type { ConfigOption } from './options.js';
import { fieldName } from './types.js';
import type { UpdraftConfig } from './types.js';
import { mayEcho, parseOptionValue } from './values.js';
import type { OptionValue } from './values.js';

export interface LoadConfigOptions {
  /** Config file; default: $UPDRAFT_CONFIG, else `<cwd>/updraft.cfg` when it exists. */
  file?: string;
  /** Environment to read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Directory of `.env` and `updraft.cfg`, and base of relative paths; default process.cwd(). */
  cwd?: string;
}

export const ENV_PREFIX = 'UPDRAFT__';
export const CONFIG_FILE_ENV = 'UPDRAFT_CONFIG';
export const DEFAULT_CONFIG_FILE = 'updraft.cfg';

/** Where each value came from: `default`, `<file>:<line>`, `env NAME` or `.env NAME`. */
export type ConfigSources = ReadonlyMap<string, string>;

const sourcesByConfig = new WeakMap<object, ConfigSources>();

/** Sources of a loaded config, keyed `section.key`; undefined for a config built by hand. */
export function configSources(cfg: UpdraftConfig): ConfigSources | undefined {
  return sourcesByConfig.get(cfg);
}

export function findOption(section: string, key: string): ConfigOption | undefined {
  const s = section.toLowerCase();
  const k = key.toLowerCase();
  return CONFIG_OPTIONS.find((o) => o.section === s && o.key === k);
}

export function envVarName(option: { section: string; key: string }): string {
  return `${ENV_PREFIX}${option.section.toUpperCase()}__${option.key.toUpperCase()}`;
}

interface RawValue {
  text: string;
  source: string;
}

export function loadConfig(options: LoadConfigOptions = {}): UpdraftConfig {
  const cwd = resolve(options.cwd ?? process.cwd());
  const realEnv = options.env ?? process.env;
  const problems: string[] = [];
  const shown = (p: string): string => displayPath(cwd, p);

  const raw = new Map<string, RawValue>();
  for (const o of CONFIG_OPTIONS) raw.set(`${o.section}.${o.key}`, { text: o.default, source: 'default' });

  // .env fills in what the real environment does not set.
  const dotenvPath = resolve(cwd, '.env');
  const dotenv = existsSync(dotenvPath) ? parseEnv(readText(dotenvPath)) : {};
  const envSource = new Map<string, string>();
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(dotenv)) {
    if (value === undefined || realEnv[name] !== undefined) continue;
    env[name] = value;
    envSource.set(name, `${shown(dotenvPath)} ${name}`);
  }
  for (const [name, value] of Object.entries(realEnv)) {
    if (value === undefined) continue;
    env[name] = value;
    envSource.set(name, `env ${name}`);
  }

  const file = pickConfigFile(options.file, env[CONFIG_FILE_ENV], cwd);
  if (file) applyFile(file, shown(file), raw, problems);
  applyEnv(env, envSource, raw, problems);

  const cfg = buildConfig(raw, cwd, problems);
  if (problems.length > 0) {
    const message = problems.length === 1
      ? `Invalid configuration: ${problems[0]}`
      : `Invalid configuration (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    throw new UpdraftError('CONFIG_INVALID', message);
  }
  const sources = new Map([...raw].map(([id, v]) => [id, v.source]));
  sourcesByConfig.set(cfg, sources);
  return cfg;
}

function pickConfigFile(explicit: string | undefined, fromEnv: string | undefined, cwd: string): string | undefined {
  const chosen = explicit ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
  if (chosen !== undefined) {
    const path = resolve(cwd, chosen);
    if (!existsSync(path)) {
      const via = explicit !== undefined ? '' : ` (from ${CONFIG_FILE_ENV})`;
      throw new UpdraftError('CONFIG_INVALID', `Invalid configuration: config file ${path}${via} does not exist`);
    }
    return path;
  }
  const fallback = resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UpdraftError('CONFIG_INVALID', `Invalid configuration: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function applyFile(path: string, shownPath: string, raw: Map<string, RawValue>, problems: string[]): void {
  const doc = parseIni(readText(path));
  for (const p of doc.problems) problems.push(`${shownPath}:${p.line}: ${p.message}`);
  const known = new Set<string>(CONFIG_SECTIONS);
  for (const s of doc.sections) {
    if (!known.has(s.name)) problems.push(`unknown section [${s.name}] (${shownPath}:${s.line}); sections are ${CONFIG_SECTIONS.join(', ')}`);
  }
  for (const e of doc.entries) {
    if (!known.has(e.section)) continue; // reported once, with its header
    const where = `${shownPath}:${e.line}`;
    if (!findOption(e.section, e.key)) {
      problems.push(unknownKey(e.section, e.key, where));
      continue;
    }
    raw.set(`${e.section}.${e.key}`, { text: e.value, source: where });
  }
}

function applyEnv(env: Record<string, string>, envSource: Map<string, string>, raw: Map<string, RawValue>, problems: string[]): void {
  for (const [name, value] of Object.entries(env)) {
    if (name.slice(0, ENV_PREFIX.length).toUpperCase() !== ENV_PREFIX) continue;
    const source = envSource.get(name) ?? `env ${name}`;
    const rest = name.slice(ENV_PREFIX.length);
    const sep = rest.indexOf('__');
    const section = (sep < 0 ? rest : rest.slice(0, sep)).toLowerCase();
    const key = sep < 0 ? '' : rest.slice(sep + 2).toLowerCase();
    if (!(CONFIG_SECTIONS as readonly string[]).includes(section)) {
      problems.push(`unknown section "${section}" (${source}); variables are named ${ENV_PREFIX}<SECTION>__<KEY> with SECTION one of ${CONFIG_SECTIONS.join(', ')}`);
    } else if (!findOption(section, key)) {
      problems.push(unknownKey(section, key, source));
    } else {
      raw.set(`${section}.${key}`, { text: value, source });
    }
  }
}

function unknownKey(section: string, key: string, where: string): string {
  const keys = CONFIG_OPTIONS.filter((o) => o.section === section).map((o) => o.key);
  return `unknown key ${section}.${key || '(missing)'} (${where}); keys of [${section}] are ${keys.join(', ')}`;
}

function buildConfig(raw: Map<string, RawValue>, cwd: string, problems: string[]): UpdraftConfig {
  const cfg: Record<string, Record<string, OptionValue>> = {};
  for (const section of CONFIG_SECTIONS) cfg[section] = {};
  for (const o of CONFIG_OPTIONS) {
    const id = `${o.section}.${o.key}`;
    const value = raw.get(id) ?? { text: o.default, source: 'default' };
    const parsed = parseOptionValue(o.type, value.text, cwd);
    if (parsed.ok) {
      (cfg[o.section] as Record<string, OptionValue>)[fieldName(o)] = parsed.value;
    } else {
      // Control characters escaped: the message stays on one line.
      // eslint-disable-next-line no-control-regex -- control characters are what it escapes
      const shown = value.text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
      const shownValue = mayEcho(o.type) && !('secret' in o) ? ` = "${shown}"` : '';
      problems.push(`${id}${shownValue} (${value.source}): expected ${parsed.expected}`);
    }
  }
  return cfg as unknown as UpdraftConfig;
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
