/**
 * The one declarative table of every configuration key. Everything else (the typed
 * `UpdraftConfig`, parsing, `updraft config list`, docs/configuration.md) is derived from it.
 *
 * Defaults are written as text, exactly as a user would write them in updraft.cfg; they go
 * through the same parser as user input, so a bad default cannot ship (a unit test loads them).
 */
import type { IdentifierKind } from '@updraft/sdk';
import { QUEUE_NAME_PATTERN } from '../queue/names.js';
import { DEFAULT_SENSITIVE_NAMES } from '../secrets/sensitive.js';
import { INSTANCE_NAME_RULE, NAVBAR_COLOR_RULE } from './appearance.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type OptionType =
  /** Kept as written; with `pattern`, the text must match it (`expected` says what it accepts). */
  | { readonly kind: 'string'; readonly pattern?: RegExp; readonly expected?: string }
  /** A filesystem path; relative paths are resolved against the process's working directory. */
  | { readonly kind: 'path'; readonly allowEmpty?: boolean }
  | { readonly kind: 'int'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'bool' }
  /** `500ms`, `30s`, `5m`, `1h`, `1d` or a bare number of seconds; stored as milliseconds. */
  | { readonly kind: 'duration'; readonly minMs?: number }
  | { readonly kind: 'umask' }
  /** Comma-separated; entries are trimmed, empty entries dropped. */
  | { readonly kind: 'list'; readonly minItems?: number; readonly item?: { readonly pattern: RegExp; readonly expected: string } }
  | { readonly kind: 'hostPort' }
  /** Empty means "not configured" (embedded default) when allowEmpty. */
  | { readonly kind: 'url'; readonly protocols: readonly string[]; readonly allowEmpty: boolean }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** An IANA time zone name, validated through Intl and stored in its canonical spelling. */
  | { readonly kind: 'timezone' }
  /** An identifier of docs/identifiers.md (e.g. a worker name); empty allowed when allowEmpty. */
  | { readonly kind: 'identifier'; readonly identifier: IdentifierKind; readonly allowEmpty: boolean }
  /** `core.dags_bundle`: empty (the DAGs folder) or `git:<url>#<branch>[:<subdir>]` (dag/git-spec.ts). */
  | { readonly kind: 'dagsBundle' };

export interface OptionSpec {
  readonly section: string;
  readonly key: string;
  readonly type: OptionType;
  readonly default: string;
  readonly description: string;
  /** Masked as `***` by `updraft config list`. */
  readonly secret?: boolean;
}

const str = { kind: 'string' } as const;
const path = { kind: 'path' } as const;
const duration = { kind: 'duration', minMs: 1 } as const;
const hostPort = { kind: 'hostPort' } as const;
/** An optional file (certificate, key, credentials): empty means not configured. */
const optionalPath = { kind: 'path', allowEmpty: true } as const;
/** `host:port` (or `[ipv6]:port`) entries of a list. */
const hostPortItem = { pattern: /^(?:\[[0-9A-Fa-f:.]+\]|[^\s:/[\],]+):\d{1,5}$/, expected: 'host:port' } as const;
const positiveInt = { kind: 'int', min: 1 } as const;
const nonNegativeInt = { kind: 'int', min: 0 } as const;
// Queue names become NATS subject tokens: no dots, wildcards or spaces.
const queueName = { pattern: QUEUE_NAME_PATTERN, expected: '1-64 of A-Z a-z 0-9 _ -, not starting with -' } as const;
/** `QUEUE:umask=0002;run_as_user=etl;run_as_group=etl` (any subset of the three settings). */
const queueOverride = {
  pattern: /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}:(?:(?:umask=0?[0-7]{3}|run_as_user=[A-Za-z0-9_.-]+|run_as_group=[A-Za-z0-9_.-]+)(?:;|$))+$/,
  expected: 'QUEUE:umask=0002;run_as_user=NAME;run_as_group=NAME',
} as const;

export const CONFIG_SECTIONS = [
  'core',
  'database',
  'nats',
  'scheduler',
  'alerts',
  'worker',
  'logging',
  'webserver',
  'monitor',
  'security',
] as const;
export type ConfigSection = (typeof CONFIG_SECTIONS)[number];

export const CONFIG_OPTIONS = [
  // [core]
  { section: 'core', key: 'dags_folder', type: path, default: './dags',
    description: 'Directory holding the DAG files (`**/*.{ts,mts,js,mjs}`).' },
  { section: 'core', key: 'default_timezone', type: { kind: 'timezone' }, default: 'UTC',
    description: 'IANA time zone for DAGs that name none (e.g. `Asia/Seoul`).' },
  { section: 'core', key: 'dags_bundle', type: { kind: 'dagsBundle' }, default: '',
    description: 'Where the DAG bundle comes from. Empty (the default): the local DAGs folder, `core.dags_folder`. `git:<url>#<branch>[:<subdir>]` (e.g. `git:https://github.com/org/dags.git#main:dags` or `git:file:///srv/dags.git#main`): the tree of that branch (or of one folder of it), which the scheduler fetches into `core.dags_bundle_git_folder` every `core.dags_bundle_refresh_interval` and on `updraft dags refresh`; each bundle version records its commit. URL schemes: file, https, http, ssh, git, or `user@host:path`; credentials in the URL are masked in logs and messages (git never prompts: use a token in the URL, a credential helper or an SSH key).' },
  { section: 'core', key: 'dags_bundle_git_folder', type: path, default: './.updraft/dags-git',
    description: 'Where the scheduler keeps its clone of the `core.dags_bundle` git repository; the checked-out tree is the folder the DAG processor parses. Only used with a git bundle.' },
  { section: 'core', key: 'dags_bundle_refresh_interval', type: duration, default: '60s',
    description: 'How often the scheduler fetches the `core.dags_bundle` git branch (`updraft dags refresh` fetches at once). A failed fetch is logged and the last good commit stays current.' },
  { section: 'core', key: 'dags_bundle_max_bytes', type: positiveInt, default: '52428800',
    description: 'Largest DAG bundle, in bytes: every file of the DAGs folder except `node_modules` and dot-files and dot-folders (DAG files, the modules they import, data files, package.json and lockfile). A larger folder is not stored as a bundle (the scheduler logs the largest files) and new runs record no bundle version: their tasks get the DAG file alone.' },
  { section: 'core', key: 'dag_file_processor_timeout', type: duration, default: '30s',
    description: 'How long parsing one DAG file may take before it is cut off and recorded as an import error.' },
  { section: 'core', key: 'parsing_processes', type: positiveInt, default: '2',
    description: 'Number of long-lived child processes that parse DAG files.' },
  { section: 'core', key: 'dag_dir_list_interval', type: duration, default: '30s',
    description: 'How often the DAG folder is scanned for new, changed and deleted files.' },
  { section: 'core', key: 'max_active_runs_per_dag', type: positiveInt, default: '16',
    description: 'Default limit of running DAG runs per DAG, for DAGs that set none.' },
  { section: 'core', key: 'max_xcom_size', type: { kind: 'int', min: 1, max: 4 * 1024 * 1024 }, default: '1048576',
    description: 'Largest XCom value (a task\'s return value or a pushed value), in bytes of its JSON text (at most 4 MiB). A larger value fails the task with the reason.' },
  { section: 'core', key: 'startup_timeout', type: duration, default: '30s',
    description: 'How long `updraft scheduler`, `worker`, `webserver` and `standalone` may take to start (read the configuration, reach PostgreSQL and NATS, bind their ports). A start that fails, or is not done by then, ends the process with exit code 1 and the step it was on; after a successful start, lost connections are retried without limit.' },
  { section: 'core', key: 'max_map_length', type: { kind: 'int', min: 1, max: 100_000 }, default: '1024',
    description: 'Most instances one mapped task (`task.expand(...)`) may have; a longer array fails the task that returned it (or the mapped task, for a literal array or a mapped source).' },

  // [database]
  { section: 'database', key: 'url', type: { kind: 'url', protocols: ['postgres:', 'postgresql:'], allowEmpty: true },
    default: '',
    description: 'PostgreSQL URL (`postgres://user:pass@host:5432/db`). Empty: the embedded PostgreSQL of `updraft standalone`.' },
  { section: 'database', key: 'pool_size', type: positiveInt, default: '10',
    description: 'Maximum number of connections in each process\'s pool.' },
  { section: 'database', key: 'embedded_data_dir', type: path, default: './.updraft/db',
    description: 'Data directory of the embedded PostgreSQL (used only when `database.url` is empty).' },
  { section: 'database', key: 'clean_older_than_days', type: { kind: 'int', min: 0, max: 36500 }, default: '0',
    description: 'When above 0, the leading scheduler runs `updraft db clean` once a day for rows older than this many days (finished runs with their task instances, tries and XCom, DAG bundle versions no remaining run started with and that are not current, with the file contents only they hold, event log rows, done callbacks and alerts, long-offline workers; in batches of 1,000, never a running run nor the latest run of a DAG). 0: never (run `updraft db clean` yourself).' },

  // [nats]
  { section: 'nats', key: 'url', type: { kind: 'url', protocols: ['nats:', 'tls:'], allowEmpty: true }, default: '',
    description: 'NATS server URL (`nats://host:4222`). Empty: the in-process queue of `updraft standalone`.' },
  { section: 'nats', key: 'stream', type: str, default: 'UPDRAFT_TASKS',
    description: 'JetStream stream holding task messages.' },
  { section: 'nats', key: 'subject_prefix', type: str, default: 'updraft.tasks',
    description: 'Task messages are published on `<subject_prefix>.<queue>`.' },
  { section: 'nats', key: 'max_deliver', type: positiveInt, default: '5',
    description: 'How many times JetStream delivers one message before giving up on it.' },
  { section: 'nats', key: 'ack_wait', type: duration, default: '30s',
    description: 'Ack deadline of a delivered message; a running task extends it while it runs.' },
  { section: 'nats', key: 'user', type: str, default: '',
    description: 'User name for NATS user/password authentication (with `nats.password`). Empty: none.' },
  { section: 'nats', key: 'password', type: str, default: '', secret: true,
    description: 'Password for NATS user/password authentication.' },
  { section: 'nats', key: 'token', type: str, default: '', secret: true,
    description: 'Token for NATS token authentication. Empty: none.' },
  { section: 'nats', key: 'creds_file', type: optionalPath, default: '',
    description: 'NATS `.creds` file (user JWT and NKey seed, decentralized authentication). Empty: none.' },
  { section: 'nats', key: 'tls_ca', type: optionalPath, default: '',
    description: 'CA bundle that verifies the NATS server\'s certificate; setting it (or `nats.tls_cert`, or a `tls://` URL) turns TLS on.' },
  { section: 'nats', key: 'tls_cert', type: optionalPath, default: '',
    description: 'Client certificate for NATS mutual TLS (with `nats.tls_key`). Empty: none.' },
  { section: 'nats', key: 'tls_key', type: optionalPath, default: '',
    description: 'Private key of `nats.tls_cert`.' },

  // [scheduler]
  { section: 'scheduler', key: 'grpc_listen', type: hostPort, default: '127.0.0.1:50051',
    description: 'Where the scheduler serves the gRPC `WorkerService` (host:port).' },
  { section: 'scheduler', key: 'worker_heartbeat_timeout', type: duration, default: '8s',
    description: 'A worker silent for this long is marked offline and its running tasks are failed as zombies.' },
  { section: 'scheduler', key: 'task_queued_timeout', type: duration, default: '60s',
    description: 'A task queued this long without being claimed is requeued with a new attempt token.' },
  { section: 'scheduler', key: 'max_requeues', type: nonNegativeInt, default: '3',
    description: 'Requeue budget of one task try (separate from retries); past it the task fails with the reason.' },
  { section: 'scheduler', key: 'worker_retention', type: duration, default: '7d',
    description: 'Workers offline this long (deregistered, or silent past the heartbeat timeout) are removed from the fleet table (`updraft workers list --all`); their task tries keep the worker id and host.' },
  { section: 'scheduler', key: 'supervision_interval', type: duration, default: '1s',
    description: 'How often the scheduler checks heartbeats and stuck queued tasks.' },
  { section: 'scheduler', key: 'publish_window', type: { kind: 'int', min: 1, max: 100_000 }, default: '16',
    description: 'Most queued task instances of one DAG run published to NATS at once when more become ready together (a wide mapped task, a fan-out, places freed in a pool). The others stay queued in the database and go to a worker whose report of a task of the same run offers its free slot (claimed by the statement that records the report: no message, no claim of its own), or out to NATS as published ones are claimed.' },
  { section: 'scheduler', key: 'callback_timeout', type: duration, default: '60s',
    description: 'How long one task or DAG run callback (`onFailure`, `onDagRunSuccess`, ...) may run in its isolated process before it is killed and recorded failed.' },

  // [alerts]
  { section: 'alerts', key: 'group_window', type: { kind: 'duration' }, default: '60s',
    description: 'Task failures (`onFailure`) of one run to the same notifier within this window after the first go out as one message listing the tasks, sent when the window after the first ends or when the run ends, whichever comes first. `0` sends each at once.' },
  { section: 'alerts', key: 'max_attempts', type: positiveInt, default: '6',
    description: 'Sends of one alert (Slack, e-mail, webhook notifier) before it is marked failed with the last error (`updraft alerts list --failed`). An error that cannot pass by retrying (a refused Slack token, an unknown channel) fails it at once.' },
  { section: 'alerts', key: 'retry_delay', type: duration, default: '10s',
    description: 'Wait before an alert is sent again after a failed send, doubled per send up to 10 minutes; Slack\'s `Retry-After` wins when it is longer.' },
  { section: 'alerts', key: 'send_timeout', type: duration, default: '30s',
    description: 'How long one send (an SMTP session, an HTTP request) may take. A scheduler that dies while sending leaves the alert to the next one after twice this plus 5 s.' },

  { section: 'alerts', key: 'slack_signing_secret', type: str, default: '', secret: true,
    description: 'Signing secret of the Slack app whose Retry buttons call `POST /integrations/slack/actions` on the webserver (requests are checked with Slack\'s v0 HMAC-SHA256 signature, at most 5 minutes old). Empty: that endpoint answers 404.' },

  // [worker]
  { section: 'worker', key: 'scheduler_address', type: { kind: 'list', minItems: 1, item: hostPortItem }, default: '127.0.0.1:50051',
    description: 'Address (host:port) of the scheduler\'s `WorkerService`; with several schedulers, all of them comma-separated (`a:50051,b:50051`): the worker talks to the one that leads and fails over.' },
  { section: 'worker', key: 'queues', type: { kind: 'list', minItems: 1, item: queueName }, default: 'default',
    description: 'Comma-separated queues this worker serves.' },
  { section: 'worker', key: 'concurrency', type: positiveInt, default: '8',
    description: 'Number of tasks this worker runs at once.' },
  { section: 'worker', key: 'heartbeat_interval', type: duration, default: '2s',
    description: 'How often the worker heartbeats to the scheduler.' },
  { section: 'worker', key: 'umask', type: { kind: 'umask' }, default: '0022',
    description: 'Octal umask of task processes (`0002` gives 664 files and 775 directories).' },
  { section: 'worker', key: 'run_as_user', type: str, default: '',
    description: 'User (name or numeric id) task processes run as. Empty: the worker\'s own user.' },
  { section: 'worker', key: 'run_as_group', type: str, default: '',
    description: 'Group (name or numeric id) task processes run as. Empty: the run-as user\'s primary group.' },
  { section: 'worker', key: 'queue_overrides', type: { kind: 'list', item: queueOverride }, default: '',
    description: 'Per-queue umask / run-as user / group for tasks of that queue, e.g. `etl:umask=0002;run_as_user=etl`. A task\'s own setting wins; empty: none.' },
  { section: 'worker', key: 'name', type: { kind: 'identifier', identifier: 'worker name', allowEmpty: true }, default: '',
    description: 'Name the worker registers with (unique in the fleet). Empty: <hostname>-<pid>.' },
  { section: 'worker', key: 'shutdown_grace_period', type: duration, default: '60s',
    description: 'On SIGTERM, how long running tasks may finish before they are killed and reported failed (drain waits without limit).' },
  { section: 'worker', key: 'allow_root_tasks', type: { kind: 'bool' }, default: 'false',
    description: 'Whether a worker running as root may run tasks as root. Default: such tasks fail with the reason in their log (set `worker.run_as_user`).' },
  { section: 'worker', key: 'dag_cache_folder', type: path, default: './.updraft/dag-cache',
    description: 'Where the worker caches DAG files fetched from the scheduler by content hash, and DAG bundle versions (`bundles/<version>/`).' },
  { section: 'worker', key: 'bundle_cache_keep', type: nonNegativeInt, default: '5',
    description: 'DAG bundle versions the worker keeps in its cache besides those its running tasks use; older ones (by last use) are removed, and with them the dependency installs (`deps/<key>`) no remaining version uses (an install made or reused in the last 10 minutes is kept).' },

  // [logging]
  { section: 'logging', key: 'level', type: { kind: 'enum', values: LOG_LEVELS }, default: 'info',
    description: 'Level of the components\' own logs (on stdout).' },
  { section: 'logging', key: 'format', type: { kind: 'enum', values: ['auto', 'json', 'pretty'] }, default: 'auto',
    description: 'Format of the components\' own logs: `json` lines, `pretty` (readable lines, coloured by level on a terminal), or `auto`: pretty when stdout is a terminal, JSON otherwise (a pipe, a file, a service manager).' },
  { section: 'logging', key: 'base_log_folder', type: path, default: './logs',
    description: 'Root of the per-try task logs (`dag_id=<d>/run_id=<r>/task_id=<t>/attempt=<n>.log`). A local disk: workers write these files with synchronous calls (other hosts read tries from the log stream or `logging.remote_base_log_folder`).' },
  { section: 'logging', key: 'retention_days', type: { kind: 'int', min: 1, max: 3650 }, default: '30',
    description: 'Days a try\'s log is kept: in the NATS JetStream stream `UPDRAFT_LOGS`, where workers ship every line so the webserver and `updraft tasks logs` can read tries that ran on other hosts (the stream\'s max age; the workers set it); in `logging.base_log_folder` on the scheduler\'s host and on each worker host (a daily job of each deletes older files); and in `logging.remote_base_log_folder` (the scheduler\'s daily job deletes older objects, in bounded batches).' },
  { section: 'logging', key: 'remote_base_log_folder', type: str, default: '',
    description: 'Where finished tries\' logs are also kept, as `s3://bucket/prefix` (S3 or an S3-compatible store); empty: nowhere. The worker uploads each try\'s log when the try ends (retrying on failure); the webserver reads a finished try from there when its file is not on its host. Object key: `<prefix>/dag_id=<d>/run_id=<r>/task_id=<t>/attempt=<n>.log` (mapped instances: `map_index=<i>.` before `attempt`).' },
  { section: 'logging', key: 'remote_log_conn_id', type: str, default: 'aws_default',
    description: 'The `aws` connection with the credentials of `logging.remote_base_log_folder`: login = access key id, password = secret access key, extra `region_name` and, for an S3-compatible store, `endpoint_url`. Workers ask the scheduler for it (they hold no database credentials).' },
  { section: 'logging', key: 'delete_local_logs', type: { kind: 'bool' }, default: 'false',
    description: 'Whether a worker deletes a try\'s local log file once it is uploaded to `logging.remote_base_log_folder` (and shipped to the log stream).' },

  // [webserver]
  { section: 'webserver', key: 'listen', type: hostPort, default: '127.0.0.1:8080',
    description: 'Where the REST API and web UI listen (host:port).' },
  { section: 'webserver', key: 'base_url', type: str, default: '',
    description: 'Public URL of the web UI, used in links. Empty: derived from `listen`.' },
  { section: 'webserver', key: 'monitor_url', type: { kind: 'url', protocols: ['http:', 'https:'], allowEmpty: true }, default: '',
    description: 'Public URL of the worker monitor (e.g. `https://monitor.example.com`), for the web UI\'s links from a task try to its worker\'s page. Empty: `http://<monitor.listen>`, with the host the browser used when `monitor.listen` is a wildcard address (0.0.0.0, ::).' },
  { section: 'webserver', key: 'instance_name', type: { kind: 'string', ...INSTANCE_NAME_RULE }, default: '',
    description: 'A name for this Updraft (e.g. `production`, `staging`), shown beside the logo in the web UI\'s header, on its login page and in the browser tab\'s title (Airflow\'s `instance_name`), and in the monitor\'s header and titles, so that people can tell instances apart. Empty: none.' },
  { section: 'webserver', key: 'navbar_color', type: { kind: 'string', ...NAVBAR_COLOR_RULE }, default: '',
    description: 'Background colour of the web UI\'s header and of the monitor\'s (Airflow\'s `navbar_color`), e.g. red for production: `#rgb` or `#rrggbb`. The header\'s text turns light on a dark colour. Empty: the theme\'s.' },
  { section: 'webserver', key: 'test_connection', type: { kind: 'enum', values: ['disabled', 'enabled'] }, default: 'disabled',
    description: 'Whether `POST /api/v1/connections/test` may open a TCP connection to the host and port it is given (Airflow\'s `test_connection`). Disabled: it answers 403, so the webserver cannot be used to probe the network.' },
  { section: 'webserver', key: 'body_limit', type: { kind: 'int', min: 1024, max: 1_073_741_824 }, default: '1048576',
    description: 'Largest request body the REST API accepts, in bytes; a bigger one is answered 413.' },
  { section: 'webserver', key: 'session_lifetime', type: { kind: 'duration', minMs: 60_000 }, default: '12h',
    description: 'How long a web UI login (`POST /api/v1/auth/login`) lasts without use: each request made with the session moves its end this far ahead (at most once a minute), so an idle session ends after this long. The cookie is `Secure` when `webserver.base_url` is https.' },

  // [monitor]
  { section: 'monitor', key: 'listen', type: hostPort, default: '127.0.0.1:5555',
    description: 'Where the worker monitor dashboard and Prometheus metrics listen (host:port).' },
  { section: 'monitor', key: 'offline_retention', type: duration, default: '1h',
    description: 'How long an offline or deregistered worker stays in the monitor\'s main list; after that it is listed only when asked for (`?all=true`, a search), with its history kept.' },
  { section: 'monitor', key: 'metrics_public', type: { kind: 'bool' }, default: 'true',
    description: 'Whether `/metrics` answers without credentials (for Prometheus). When false it needs `Authorization: Bearer <monitor.metrics_token>` or a user\'s basic auth.' },
  { section: 'monitor', key: 'metrics_token', type: str, default: '', secret: true,
    description: 'Bearer token Prometheus presents for `/metrics` when `monitor.metrics_public` is false. Empty: only users\' basic auth.' },
  { section: 'monitor', key: 'refresh_interval', type: duration, default: '1s',
    description: 'How often the monitor re-reads the fleet from the database (heartbeat ages, offline workers); task events arrive at once through the database\'s notifications.' },

  // [security]
  { section: 'security', key: 'worker_token', type: str, default: '', secret: true,
    description: 'Token a worker presents to the scheduler (gRPC `authorization: Bearer`): the shared token of the fleet, or the worker\'s own token from `updraft workers credentials create NAME`. On the scheduler: the shared token it accepts; empty: only per-worker credentials are accepted.' },
  { section: 'security', key: 'tls_cert', type: optionalPath, default: '',
    description: 'Scheduler: certificate (PEM) the `WorkerService` serves over TLS (with `security.tls_key`). Worker: its client certificate for mutual TLS, naming the worker (CN or a DNS SAN equal to `worker.name`). Empty: plaintext gRPC.' },
  { section: 'security', key: 'tls_key', type: optionalPath, default: '',
    description: 'Private key (PEM) of `security.tls_cert`.' },
  { section: 'security', key: 'tls_ca', type: optionalPath, default: '',
    description: 'Scheduler: CA that signs worker certificates; when set, workers must present one naming them (mutual TLS). Worker: CA that verifies the scheduler\'s certificate; setting it turns TLS on.' },
  { section: 'security', key: 'tls_server_name', type: str, default: '',
    description: 'Worker: the name the scheduler\'s certificate must carry when it differs from the host of `worker.scheduler_address`. Empty: that host.' },
  { section: 'security', key: 'secret_key', type: str, default: '', secret: true,
    description: 'Reserved for signing; not used: web sessions are random ids whose hash is stored in the database (`webserver.session_lifetime`).' },
  { section: 'security', key: 'fernet_key', type: str, default: '', secret: true,
    description: 'Fernet key(s) encrypting secrets at rest (connection passwords and extras, variables). Several comma-separated keys: the first encrypts, all decrypt (rotate with `updraft rotate-fernet-key`). Empty: connections with a password or extra cannot be stored, variables are stored in plain text.' },
  { section: 'security', key: 'sensitive_var_conn_names', type: { kind: 'list' },
    default: DEFAULT_SENSITIVE_NAMES.join(','),
    description: 'Variables whose key, and connection extra fields whose name, contain one of these words (case-insensitive) are shown as `***` by the API and the CLI and masked in task logs.' },
] as const satisfies readonly OptionSpec[];

export type ConfigOption = (typeof CONFIG_OPTIONS)[number];
