/**
 * Reading a loaded config back as text: `updraft config list` and `updraft config get`.
 */
import { UpdraftError } from '../errors.js';
import { maskUrl } from '../dag/git-spec.js';
import { configSources, envVarName, findOption } from './load.js';
import { CONFIG_OPTIONS, CONFIG_SECTIONS } from './options.js';
import type { ConfigOption } from './options.js';
import { fieldName } from './types.js';
import type { UpdraftConfig } from './types.js';
import { formatOptionValue, parseOptionValue } from './values.js';
import type { OptionValue } from './values.js';

export interface ConfigRow {
  readonly section: string;
  readonly key: string;
  /** Text form of the value; secrets are `***` when set, URL passwords are masked. */
  readonly value: string;
  /** `default`, `<file>:<line>`, `env NAME`, `.env NAME`, or `code` for a config built by hand. */
  readonly source: string;
  readonly envVar: string;
  readonly description: string;
}

export const MASK = '***';

function rawValue(cfg: UpdraftConfig, option: ConfigOption): string {
  const section = cfg[option.section] as unknown as Record<string, OptionValue>;
  const value = section[fieldName(option)];
  if (value === undefined) throw new UpdraftError('CONFIG_INVALID', `config has no value for ${option.section}.${option.key}`);
  return formatOptionValue(option.type, value);
}

function sourceOf(cfg: UpdraftConfig, option: ConfigOption, text: string): string {
  const recorded = configSources(cfg)?.get(`${option.section}.${option.key}`);
  if (recorded !== undefined) return recorded;
  const def = parseOptionValue(option.type, option.default, process.cwd());
  return def.ok && formatOptionValue(option.type, def.value) === text ? 'default' : 'code';
}

/** `postgres://u:secret@h/db` -> `postgres://u:***@h/db`. */
export function maskUrlPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password === '') return url;
    u.password = MASK;
    return u.toString();
  } catch {
    return url;
  }
}

function masked(option: ConfigOption, text: string): string {
  if ('secret' in option && option.secret && text !== '') return MASK;
  if (option.type.kind === 'url') return maskUrlPassword(text);
  if (option.type.kind === 'dagsBundle' && text.startsWith('git:')) return `git:${maskUrl(text.slice('git:'.length))}`;
  return text;
}

/** Every option of the model, in table order, with its value and where it came from. */
export function listOptions(cfg: UpdraftConfig): ConfigRow[] {
  return CONFIG_OPTIONS.map((option) => {
    const text = rawValue(cfg, option);
    return {
      section: option.section,
      key: option.key,
      value: masked(option, text),
      source: sourceOf(cfg, option, text),
      envVar: envVarName(option),
      description: option.description,
    };
  });
}

/** The text value of one option, unmasked (for scripts). Unknown key: UpdraftError('INVALID_ARGUMENT'). */
export function getOption(cfg: UpdraftConfig, section: string, key: string): string {
  const option = findOption(section, key);
  if (!option) {
    const s = section.toLowerCase();
    const known = CONFIG_OPTIONS.filter((o) => o.section === s).map((o) => o.key);
    const hint = known.length > 0
      ? `keys of [${s}] are ${known.join(', ')}`
      : `sections are ${CONFIG_SECTIONS.join(', ')}`;
    throw new UpdraftError('INVALID_ARGUMENT', `unknown configuration key ${s}.${key.toLowerCase()}; ${hint}`);
  }
  return rawValue(cfg, option);
}
