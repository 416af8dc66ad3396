import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { getOption, isUpdraftError, listOptions, loadConfig } from '@updraft/core';
import { CONFIG_OPTIONS } from '@updraft/core/internal';
import type { HostPort, UpdraftConfig } from '@updraft/core';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'updraft-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Loads in the temp dir with only the given environment. */
function load(env: Record<string, string> = {}, file?: string): UpdraftConfig {
  return loadConfig({ cwd: dir, env, ...(file === undefined ? {} : { file }) });
}

/** The CONFIG_INVALID message of a load that must fail. */
function loadError(env: Record<string, string> = {}, file?: string): string {
  try {
    load(env, file);
  } catch (err) {
    expect(isUpdraftError(err, 'CONFIG_INVALID')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to fail');
}

describe('defaults', () => {
  it('gives every documented default, typed, with durations in ms and paths resolved', () => {
    const cfg = load();
    expect(cfg.core.dagsFolder).toBe(join(dir, 'dags'));
    expect(cfg.core.defaultTimezone).toBe('UTC');
    expect(cfg.core.dagFileProcessorTimeoutMs).toBe(30_000);
    expect(cfg.core.parsingProcesses).toBe(2);
    expect(cfg.core.maxActiveRunsPerDag).toBe(16);
    expect(cfg.database.url).toBe('');
    expect(cfg.database.poolSize).toBe(10);
    expect(cfg.database.embeddedDataDir).toBe(join(dir, '.updraft/db'));
    expect(cfg.nats).toEqual({
      url: '', stream: 'UPDRAFT_TASKS', subjectPrefix: 'updraft.tasks', maxDeliver: 5, ackWaitMs: 30_000,
      user: '', password: '', token: '', credsFile: '', tlsCa: '', tlsCert: '', tlsKey: '',
    });
    expect(cfg.scheduler).toEqual({
      grpcListen: { host: '127.0.0.1', port: 50051 },
      workerHeartbeatTimeoutMs: 8000,
      taskQueuedTimeoutMs: 60_000,
      maxRequeues: 3,
      supervisionIntervalMs: 1000,
      workerRetentionMs: 7 * 24 * 3600_000,
      publishWindow: 16,
      callbackTimeoutMs: 60_000,
    });
    expect(cfg.core.startupTimeoutMs).toBe(30_000);
    expect(cfg.worker.schedulerAddress).toEqual(['127.0.0.1:50051']);
    expect(cfg.worker.allowRootTasks).toBe(false);
    expect(cfg.worker.queues).toEqual(['default']);
    expect(cfg.worker.concurrency).toBe(8);
    expect(cfg.worker.heartbeatIntervalMs).toBe(2000);
    expect(cfg.worker.umask).toBe(0o022);
    expect(cfg.worker.runAsUser).toBe('');
    expect(cfg.worker.shutdownGracePeriodMs).toBe(60_000);
    expect(cfg.logging).toEqual({ level: 'info', format: 'auto', baseLogFolder: join(dir, 'logs'), retentionDays: 30, remoteBaseLogFolder: '', remoteLogConnId: 'aws_default', deleteLocalLogs: false });
    expect(cfg.webserver.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(cfg.monitor.listen).toEqual({ host: '127.0.0.1', port: 5555 });
    expect(cfg.security).toEqual({
      workerToken: '', secretKey: '', fernetKey: '',
      sensitiveVarConnNames: ['password', 'secret', 'token', 'api_key', 'apikey', 'passwd', 'passphrase', 'private_key', 'authorization'],
      tlsCert: '', tlsKey: '', tlsCa: '', tlsServerName: '',
    });
  });

  it('has the field types the rest of the code relies on', () => {
    expectTypeOf<UpdraftConfig['scheduler']['workerHeartbeatTimeoutMs']>().toEqualTypeOf<number>();
    expectTypeOf<UpdraftConfig['worker']['queues']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<UpdraftConfig['worker']['schedulerAddress']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<UpdraftConfig['scheduler']['grpcListen']>().toEqualTypeOf<HostPort>();
    expectTypeOf<UpdraftConfig['logging']['level']>().toEqualTypeOf<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'>();
  });

  it('lists every option as coming from its default', () => {
    const rows = listOptions(load());
    expect(rows).toHaveLength(CONFIG_OPTIONS.length);
    expect(rows.every((r) => r.source === 'default')).toBe(true);
    expect(rows.find((r) => r.section === 'worker' && r.key === 'umask')).toMatchObject({
      value: '0022', envVar: 'UPDRAFT__WORKER__UMASK',
    });
  });
});

describe('config file', () => {
  it('reads sections, keys, comments and quotes, case-insensitively', () => {
    const file = write('custom.cfg', [
      '# a comment',
      '; another',
      '[Core]',
      'DAGS_FOLDER = /srv/dags',
      'default_timezone=Asia/Seoul',
      '',
      '[worker]',
      'queues = default, etl ,, reports',
      'umask = 0002',
      'concurrency = 3',
      '[security]',
      'worker_token = abc#def;ghi',
      'secret_key = "  padded  "',
    ].join('\n'));
    const cfg = load({}, file);
    expect(cfg.core.dagsFolder).toBe('/srv/dags');
    expect(cfg.core.defaultTimezone).toBe('Asia/Seoul');
    expect(cfg.worker.queues).toEqual(['default', 'etl', 'reports']);
    expect(cfg.worker.umask).toBe(0o002);
    expect(cfg.security.secretKey).toBe('  padded  ');
    expect(cfg.worker.concurrency).toBe(3);
    expect(cfg.security.workerToken).toBe('abc#def;ghi');
    const row = listOptions(cfg).find((r) => r.key === 'umask');
    expect(row?.source).toBe('custom.cfg:9');
  });

  it('uses <cwd>/updraft.cfg when present, and UPDRAFT_CONFIG over it', () => {
    write('updraft.cfg', '[worker]\nconcurrency = 4\n');
    write('other.cfg', '[worker]\nconcurrency = 5\n');
    expect(load().worker.concurrency).toBe(4);
    expect(load({ UPDRAFT_CONFIG: 'other.cfg' }).worker.concurrency).toBe(5);
    expect(load({ UPDRAFT_CONFIG: 'other.cfg' }, join(dir, 'updraft.cfg')).worker.concurrency).toBe(4);
  });

  it('fails when an explicitly named file does not exist', () => {
    expect(loadError({}, 'missing.cfg')).toContain('missing.cfg');
    expect(loadError({ UPDRAFT_CONFIG: 'gone.cfg' })).toMatch(/gone\.cfg.*UPDRAFT_CONFIG/);
  });

  it('names file, line and key of an unknown key, and lists the valid keys', () => {
    const file = write('updraft.cfg', '[worker]\nconcurrency = 2\numaks = 0002\n');
    const message = loadError({}, file);
    expect(message).toContain('worker.umaks');
    expect(message).toContain('updraft.cfg:3');
    expect(message).toContain('umask');
  });

  it('names an unknown section once', () => {
    const message = loadError({}, write('updraft.cfg', '[wrker]\nqueues = a\nconcurrency = 1\n'));
    expect(message).toContain('unknown section [wrker] (updraft.cfg:1)');
    expect(message).not.toContain('wrker.queues');
  });

  it('reports syntax errors and duplicate keys with their lines, all at once', () => {
    const message = loadError({}, write('updraft.cfg', 'stray = 1\n[core]\njust words\nparsing_processes = 2\nparsing_processes = 3\n'));
    expect(message).toContain('(3 problems)');
    expect(message).toContain('updraft.cfg:1: key "stray" appears before any [section] header');
    expect(message).toContain('updraft.cfg:3: expected `key = value`');
    expect(message).toContain('updraft.cfg:5: core.parsing_processes is set twice (also on line 4)');
  });
});

describe('environment', () => {
  it('UPDRAFT__SECTION__KEY overrides the file, case-insensitively', () => {
    write('updraft.cfg', '[worker]\numask = 0002\nconcurrency = 4\n');
    const cfg = load({ UPDRAFT__WORKER__UMASK: '0077', updraft__Worker__Concurrency: '6' });
    expect(cfg.worker.umask).toBe(0o077);
    expect(cfg.worker.concurrency).toBe(6);
    expect(listOptions(cfg).find((r) => r.key === 'umask')?.source).toBe('env UPDRAFT__WORKER__UMASK');
  });

  it('reads .env, and the real environment wins over it', () => {
    write('updraft.cfg', '[core]\nparsing_processes = 3\n');
    write('.env', 'UPDRAFT__CORE__PARSING_PROCESSES=4\nUPDRAFT__CORE__DEFAULT_TIMEZONE="Europe/Paris"\n');
    const fromDotenv = load();
    expect(fromDotenv.core.parsingProcesses).toBe(4);
    expect(fromDotenv.core.defaultTimezone).toBe('Europe/Paris');
    expect(listOptions(fromDotenv).find((r) => r.key === 'parsing_processes')?.source).toBe('.env UPDRAFT__CORE__PARSING_PROCESSES');
    expect(load({ UPDRAFT__CORE__PARSING_PROCESSES: '5' }).core.parsingProcesses).toBe(5);
  });

  it('lets .env name the config file', () => {
    write('prod.cfg', '[nats]\nstream = PROD\n');
    write('.env', 'UPDRAFT_CONFIG=prod.cfg\n');
    expect(load().nats.stream).toBe('PROD');
  });

  it('an empty variable overrides with empty (e.g. back to the embedded database)', () => {
    write('updraft.cfg', '[database]\nurl = postgres://db.example:5432/updraft\n');
    expect(load().database.url).toBe('postgres://db.example:5432/updraft');
    expect(load({ UPDRAFT__DATABASE__URL: '' }).database.url).toBe('');
  });

  it('rejects unknown variables, in the environment and in .env, naming them', () => {
    expect(loadError({ UPDRAFT__WORKER__UMAKS: '0002' })).toMatch(/worker\.umaks \(env UPDRAFT__WORKER__UMAKS\)/);
    expect(loadError({ UPDRAFT__NOPE__X: '1' })).toContain('UPDRAFT__NOPE__X');
    expect(loadError({ UPDRAFT__CORE: '1' })).toContain('UPDRAFT__CORE');
    write('.env', 'UPDRAFT__CORE__DAGS_FOLDR=/x\n');
    expect(loadError()).toContain('.env UPDRAFT__CORE__DAGS_FOLDR');
  });

  it('ignores variables without the double-underscore prefix', () => {
    expect(load({ UPDRAFT_HOME: '/x', UPDRAFT_DEBUG: '1' }).core.parsingProcesses).toBe(2);
  });
});

describe('malformed values name the key, the source and what is expected', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['UPDRAFT__SCHEDULER__WORKER_HEARTBEAT_TIMEOUT', '8 seconds', /scheduler\.worker_heartbeat_timeout = "8 seconds" \(env UPDRAFT__SCHEDULER__WORKER_HEARTBEAT_TIMEOUT\): expected a duration/],
    ['UPDRAFT__WORKER__HEARTBEAT_INTERVAL', '0s', /worker\.heartbeat_interval.*at least 1ms/],
    ['UPDRAFT__WORKER__UMASK', '0999', /worker\.umask = "0999".*expected an octal umask/],
    ['UPDRAFT__WORKER__UMASK', '01000', /worker\.umask.*at most 0777/],
    ['UPDRAFT__WORKER__CONCURRENCY', 'eight', /worker\.concurrency = "eight".*expected an integer >= 1/],
    ['UPDRAFT__WORKER__CONCURRENCY', '0', /worker\.concurrency.*integer >= 1/],
    ['UPDRAFT__WORKER__CONCURRENCY', '2.5', /worker\.concurrency/],
    ['UPDRAFT__WORKER__QUEUES', ' , ', /worker\.queues.*at least 1/],
    ['UPDRAFT__WORKER__QUEUES', 'default,etl.daily', /worker\.queues.*"etl\.daily" is not/],
    ['UPDRAFT__WORKER__SCHEDULER_ADDRESS', 'scheduler', /worker\.scheduler_address.*host:port/],
    ['UPDRAFT__WEBSERVER__LISTEN', '127.0.0.1:70000', /webserver\.listen.*port 0-65535/],
    ['UPDRAFT__CORE__DEFAULT_TIMEZONE', 'Mars/Olympus', /core\.default_timezone.*IANA time zone/],
    ['UPDRAFT__LOGGING__LEVEL', 'verbose', /logging\.level.*one of trace, debug, info, warn, error, fatal/],
    ['UPDRAFT__NATS__URL', 'http://localhost:4222', /nats\.url.*nats:\/\/ or tls:\/\//],
    ['UPDRAFT__WEBSERVER__NAVBAR_COLOR', 'red', /webserver\.navbar_color = "red".*expected empty or a hex colour such as #c92a2a/],
    ['UPDRAFT__WEBSERVER__NAVBAR_COLOR', '#12345', /webserver\.navbar_color = "#12345"/],
    ['UPDRAFT__WEBSERVER__NAVBAR_COLOR', '#fff;background:url(x)', /webserver\.navbar_color/],
    ['UPDRAFT__WEBSERVER__INSTANCE_NAME', 'prod\nsecond line', /webserver\.instance_name = "prod\\nsecond line" \(env UPDRAFT__WEBSERVER__INSTANCE_NAME\): expected at most 64 characters on one line/],
    ['UPDRAFT__WEBSERVER__INSTANCE_NAME', 'x'.repeat(65), /webserver\.instance_name.*at most 64 characters/],
  ];
  it.each(cases)('%s=%s', (name, value, expected) => {
    expect(loadError({ [name]: value })).toMatch(expected);
  });

  it('names file:line for a malformed value in the file', () => {
    const message = loadError({}, write('updraft.cfg', '[nats]\n\nack_wait = soon\n'));
    expect(message).toContain('nats.ack_wait = "soon" (updraft.cfg:3): expected a duration');
  });

  it('does not echo a URL, which may hold a password', () => {
    const message = loadError({ UPDRAFT__DATABASE__URL: 'mysql://me:hunter2@db/x' });
    expect(message).toContain('database.url');
    expect(message).not.toContain('hunter2');
  });
});

describe('value syntax', () => {
  it('takes an instance name and a header colour for the web UI', () => {
    const web = load({ UPDRAFT__WEBSERVER__INSTANCE_NAME: 'Production · eu-west', UPDRAFT__WEBSERVER__NAVBAR_COLOR: '#C92A2A' }).webserver;
    expect([web.instanceName, web.navbarColor]).toEqual(['Production · eu-west', '#C92A2A']);
    expect(load({ UPDRAFT__WEBSERVER__NAVBAR_COLOR: '#fa5' }).webserver.navbarColor).toBe('#fa5');
    expect([load().webserver.instanceName, load().webserver.navbarColor]).toEqual(['', '']);
  });

  it('parses durations: ms, s, m, h, d and bare seconds', () => {
    const d = (v: string): number => load({ UPDRAFT__NATS__ACK_WAIT: v }).nats.ackWaitMs;
    expect(d('500ms')).toBe(500);
    expect(d('30s')).toBe(30_000);
    expect(d('5m')).toBe(300_000);
    expect(d('1h')).toBe(3_600_000);
    expect(d('1d')).toBe(86_400_000);
    expect(d('45')).toBe(45_000);
    expect(d('1.5')).toBe(1500);
    expect(d(' 2S ')).toBe(2000);
  });

  it('parses umasks in octal', () => {
    const u = (v: string): number => load({ UPDRAFT__WORKER__UMASK: v }).worker.umask;
    expect(u('0002')).toBe(0o002);
    expect(u('077')).toBe(0o077);
    expect(u('0')).toBe(0);
    expect(u('0777')).toBe(0o777);
  });

  it('takes several scheduler addresses for a worker, comma-separated', () => {
    expect(load({ UPDRAFT__WORKER__SCHEDULER_ADDRESS: 'sched-a:50051, sched-b:50051,[::1]:50052' }).worker.schedulerAddress)
      .toEqual(['sched-a:50051', 'sched-b:50051', '[::1]:50052']);
    expect(loadError({ UPDRAFT__WORKER__SCHEDULER_ADDRESS: 'sched-a:50051,sched-b' })).toMatch(/worker\.scheduler_address.*"sched-b" is not/);
  });

  it('parses host:port, including IPv6 and port 0', () => {
    const h = (v: string): HostPort => load({ UPDRAFT__SCHEDULER__GRPC_LISTEN: v }).scheduler.grpcListen;
    expect(h('0.0.0.0:50051')).toEqual({ host: '0.0.0.0', port: 50051 });
    expect(h('scheduler:1')).toEqual({ host: 'scheduler', port: 1 });
    expect(h('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(h('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    const cfg = load({ UPDRAFT__SCHEDULER__GRPC_LISTEN: '[::1]:8080' });
    expect(getOption(cfg, 'scheduler', 'grpc_listen')).toBe('[::1]:8080');
  });

  it('canonicalises time zone names and accepts database and NATS URLs', () => {
    const cfg = load({
      UPDRAFT__CORE__DEFAULT_TIMEZONE: 'utc',
      UPDRAFT__DATABASE__URL: 'postgresql://u:p@127.0.0.1:5433/updraft',
      UPDRAFT__NATS__URL: 'nats://127.0.0.1:4223',
    });
    expect(cfg.core.defaultTimezone).toBe('UTC');
    expect(cfg.database.url).toBe('postgresql://u:p@127.0.0.1:5433/updraft');
    expect(cfg.nats.url).toBe('nats://127.0.0.1:4223');
  });
});

describe('listOptions and getOption', () => {
  it('masks secrets and URL passwords in the listing but not in getOption', () => {
    const cfg = load({
      UPDRAFT__SECURITY__WORKER_TOKEN: 's3cret', UPDRAFT__DATABASE__URL: 'postgres://u:pw@127.0.0.1/db',
      UPDRAFT__NATS__URL: 'nats://n:natspw@127.0.0.1:4222', UPDRAFT__NATS__PASSWORD: 'natspass', UPDRAFT__NATS__TOKEN: 'natstoken',
    });
    const rows = listOptions(cfg);
    const value = (section: string, key: string): string | undefined =>
      rows.find((r) => r.section === section && r.key === key)?.value;
    expect(value('security', 'worker_token')).toBe('***');
    expect(value('security', 'secret_key')).toBe('');
    expect(value('database', 'url')).toBe('postgres://u:***@127.0.0.1/db');
    expect(value('nats', 'url')).toBe('nats://n:***@127.0.0.1:4222');
    expect([value('nats', 'password'), value('nats', 'token')]).toEqual(['***', '***']);
    for (const secret of ['s3cret', 'natspw', 'natspass', 'natstoken']) expect(JSON.stringify(rows)).not.toContain(secret);
    expect(getOption(cfg, 'security', 'worker_token')).toBe('s3cret');
  });

  it('returns text values, case-insensitively, and rejects unknown keys with the valid ones', () => {
    const cfg = load({ UPDRAFT__WORKER__QUEUES: 'a, b', UPDRAFT__WORKER__HEARTBEAT_INTERVAL: '1500ms' });
    expect(getOption(cfg, 'WORKER', 'Queues')).toBe('a,b');
    expect(getOption(cfg, 'worker', 'heartbeat_interval')).toBe('1500ms');
    expect(getOption(cfg, 'scheduler', 'task_queued_timeout')).toBe('1m');
    expect(() => getOption(cfg, 'worker', 'umaks')).toThrow(/unknown configuration key worker\.umaks; keys of \[worker\] are .*umask/);
    expect(() => getOption(cfg, 'wrker', 'umask')).toThrow(/sections are core, database/);
  });

  it('lists a config changed in code without crashing, marking changed values', () => {
    const base = load();
    const changed: UpdraftConfig = { ...base, worker: { ...base.worker, concurrency: 2 } };
    const row = listOptions(changed).find((r) => r.key === 'concurrency');
    expect(row).toMatchObject({ value: '2', source: 'code' });
  });

});
