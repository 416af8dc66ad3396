/**
 * `UpdraftConfig`, derived at the type level from the option table so the two cannot drift:
 * one object per section, one camelCase field per key; duration fields end in `Ms` and hold
 * milliseconds (e.g. `cfg.scheduler.workerHeartbeatTimeoutMs`).
 */
import type { ConfigOption, ConfigSection, OptionType } from './options.js';
import type { HostPort } from './values.js';

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type FieldName<O extends ConfigOption> = O['type']['kind'] extends 'duration'
  ? `${CamelCase<O['key']>}Ms`
  : CamelCase<O['key']>;

type ValueOf<T extends OptionType> = T extends { kind: 'string' | 'path' | 'url' | 'timezone' | 'identifier' | 'dagsBundle' }
  ? string
  : T extends { kind: 'int' | 'duration' | 'umask' }
    ? number
    : T extends { kind: 'bool' }
      ? boolean
      : T extends { kind: 'list' }
        ? readonly string[]
        : T extends { kind: 'hostPort' }
          ? HostPort
          : T extends { kind: 'enum'; values: readonly (infer V)[] }
            ? V
            : never;

export type SectionConfig<S extends ConfigSection> = {
  readonly [O in Extract<ConfigOption, { section: S }> as FieldName<O>]: ValueOf<O['type']>;
};

export type UpdraftConfig = { readonly [S in ConfigSection]: SectionConfig<S> };

/** Runtime twin of `FieldName`: the UpdraftConfig field holding an option. */
export function fieldName(option: { key: string; type: OptionType }): string {
  const camel = option.key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return option.type.kind === 'duration' ? `${camel}Ms` : camel;
}
