/**
 * The `ssh` task type: one command on a remote host over SSH (the `ssh2` client). The
 * connection (after Airflow's SSHHook): host, port (default 22), login; a key in extra
 * `private_key` (the key's text) or `key_file` (a path on the worker), its passphrase in extra
 * `private_key_passphrase`, else the password is used to log in; extra `host_key` (the
 * server's public key, `ssh-ed25519 AAAA...`) makes the client refuse any other host key.
 * The command and the env values are templates. Output lines go to the task's log as they come
 * (stderr lines prefixed); a non-zero exit status fails the try with SshCommandError.
 */
import { readFileSync } from 'node:fs';
import { Client, type ConnectConfig } from 'ssh2';
import type { MappedTaskContext, Params, Task, TaskArgs, TaskConnection, TaskContext } from '@updraft/sdk';
import { SshCommandError } from '../errors.js';
import { assertOptionsObject, invalidOption, splitOptions, type TaskBuilder } from '../task-builder.js';
import { assertTemplateParses, renderForTask } from '../templating.js';

export interface SshTaskOptions extends TaskArgs {
  connId: string;
  /** The command, run by the login shell of the remote user; a template. */
  command: string;
  /** Variables exported before the command (names: letters, digits, _); values are templates. */
  env?: Record<string, string>;
  /** Seconds the command may run before the session is closed and the try fails. Default: no limit (the task's executionTimeout applies). */
  timeout?: number;
}

const OWN_KEYS = ['connId', 'command', 'env', 'timeout'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function validate(taskId: string, o: Partial<SshTaskOptions>): void {
  const bad = (message: string): never => {
    throw invalidOption('ssh', taskId, message);
  };
  if (typeof o.connId !== 'string' || o.connId.trim() === '') bad('connId must be a non-empty string');
  if (typeof o.command !== 'string' || o.command.trim() === '') bad('command must be a non-empty string');
  assertTemplateParses(o.command!, `ssh task '${taskId}' command`);
  if (o.env !== undefined) {
    if (typeof o.env !== 'object' || o.env === null || Array.isArray(o.env)) bad('env must be an object of strings');
    for (const [k, v] of Object.entries(o.env!)) {
      if (!ENV_NAME.test(k)) bad(`env name ${JSON.stringify(k)} is not a shell variable name`);
      if (typeof v !== 'string') bad(`env ${k} must be a string, got ${typeof v}`);
      assertTemplateParses(v, `ssh task '${taskId}' env ${k}`);
    }
  }
  if (o.timeout !== undefined && (typeof o.timeout !== 'number' || !(o.timeout > 0))) bad('timeout must be a positive number of seconds');
}

/** ssh2's connect settings for a connection (see the module comment). */
export function sshConfig(conn: TaskConnection): ConnectConfig {
  const host = (conn.host ?? '').trim();
  if (host === '') throw new Error(`SSH connection '${conn.connId}' has no host`);
  const x = conn.extraDejson;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const keyFile = str(x.key_file);
  const privateKey = str(x.private_key) ?? (keyFile === undefined ? undefined : readFileSync(keyFile, 'utf8'));
  const hostKey = str(x.host_key)?.trim().split(/\s+/)[1];
  const timeout = typeof x.conn_timeout === 'number' ? x.conn_timeout * 1000 : 30_000;
  return {
    host, port: conn.port ?? 22, username: conn.login ?? '', readyTimeout: timeout,
    ...(privateKey === undefined ? { password: conn.password ?? '' } : { privateKey, ...(str(x.private_key_passphrase) ? { passphrase: str(x.private_key_passphrase)! } : {}) }),
    ...(hostKey === undefined ? {} : { hostVerifier: (key: Buffer) => key.toString('base64') === hostKey }),
  };
}

const shellQuote = (v: string): string => `'${v.replaceAll("'", "'\\''")}'`;

async function runSsh(ctx: TaskContext, o: SshTaskOptions): Promise<void> {
  const templates: Record<string, string> = { command: o.command };
  for (const [k, v] of Object.entries(o.env ?? {})) templates[`env ${k}`] = v;
  const rendered = await renderForTask(ctx, templates);
  const conn = await ctx.connection(o.connId);
  const config = sshConfig(conn);
  const where = `${config.username}@${config.host}:${config.port}`;
  const envNames = Object.keys(o.env ?? {});
  // Exported in the command rather than sent as SSH env requests, which servers refuse unless AcceptEnv allows them.
  const prefix = envNames.map((k) => `export ${k}=${shellQuote(rendered[`env ${k}`]!)}; `).join('');
  ctx.log(`running on ${where}${envNames.length > 0 ? ` (env ${envNames.join(', ')})` : ''}: ${rendered.command!}`);
  const client = new Client();
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      client.on('error', (err) => reject(new SshCommandError(`SSH connection '${conn.connId}' (${where}) failed: ${err.message}`, { cause: err })));
      client.on('ready', () => {
        client.exec(prefix + rendered.command!, (err, stream) => {
          if (err) return reject(new SshCommandError(`cannot run the command on ${where}: ${err.message}`, { cause: err }));
          if (o.timeout !== undefined) {
            timer = setTimeout(() => reject(new SshCommandError(`the command on ${where} did not end within ${o.timeout} s`)), o.timeout * 1000);
          }
          const lines = (tag: string): ((chunk: Buffer) => void) => {
            let rest = '';
            return (chunk) => {
              const parts = (rest + chunk.toString('utf8')).split('\n');
              rest = parts.pop()!;
              for (const line of parts) ctx.log(tag + line);
            };
          };
          stream.on('data', lines(''));
          stream.stderr.on('data', lines('stderr: '));
          stream.on('close', (exitCode: number | null) => resolve(exitCode));
        });
      });
      client.connect(config);
    });
    ctx.log(`exit status ${String(code)}`);
    if (code !== 0) throw new SshCommandError(`the command on ${where} exited with status ${String(code)}`, { exitStatus: code });
  } finally {
    clearTimeout(timer);
    client.end();
  }
}

/**
 * Adds an SSH task to `d` (a Dag or a task group's builder) and returns it:
 *
 *     ssh(d, 'rotate', { connId: 'web1', command: 'logrotate -f /etc/logrotate.d/app --state /tmp/{{ ds_nodash }}' });
 */
export function ssh<P extends Params>(d: TaskBuilder<P>, taskId: string, options: SshTaskOptions): Task<null> {
  assertOptionsObject('ssh', taskId, options);
  const { own, args } = splitOptions(options, OWN_KEYS);
  validate(taskId, own);
  const o = own as SshTaskOptions;
  return d.fn(taskId, (ctx: MappedTaskContext<unknown, P>) => runSsh(ctx as TaskContext, o), args as TaskArgs) as unknown as Task<null>;
}
