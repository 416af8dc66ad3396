/**
 * Several hosts, end to end, in network namespaces (namespaces.ts): host `master` runs
 * PostgreSQL and nats-server; hosts `scheduler-1` and `scheduler-2` run `updraft scheduler` each
 * (scheduler-1 leads, scheduler-2 is its hot standby); hosts `worker-a` and `worker-b` run one
 * `updraft worker` each, configured with only the two scheduler addresses, the NATS URL and the
 * token (no database URL; their DAGs folder does not exist: DAG files come by hash from the scheduler).
 * The hosts share a bridge and nothing else of the network: every connection stays inside the
 * namespaces, and the worker hosts may open connections only to NATS and the schedulers' gRPC
 * port (an nftables output filter in their namespaces). The test process reads the database through PostgreSQL's Unix socket.
 *
 *  (a) a DAG of bash and function tasks runs to success with both worker hosts doing work;
 *  (b) worker-a's link is cut while it runs a long task: the try fails as a zombie, is retried on
 *      worker-b and succeeds, once; when the link returns, worker-a's late report is refused and
 *      its copy of the task is killed. Figures (time to detect, to recover) are printed;
 *  (c) scheduler-1 (the leader worker-a talks to) loses its link mid-run: scheduler-2 takes over,
 *      worker-a fails over to it and keeps working; no task is retried or run twice.
 *  (d) the log of a try that ran on worker-a (a file in worker-a's own folder) is read on the
 *      master, through `updraft webserver`'s API and `updraft tasks logs`: it came by NATS;
 *  (e) a try printing a line a second on a worker host is followed from the master through the
 *      API (continuation tokens) while it runs, across a nats-server restart, and the log read is
 *      that host's file once it ended: no line lost, repeated or reordered.
 *
 * Needs root, iproute2 and util-linux; without them the tests are skipped with the reason.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, waitForRunEnd } from '../e2e/db.js';
import type { UpdraftProcess } from '../e2e/processes.js';
import { registerLeftover } from '../harness/cleanup.js';
import { basicAuth, createRoleUsers } from '../integration/api-support.js';
import type { CliResult } from '../harness/index.js';
import { commandLines, createTopology, probeNetns, removeStaleNamespaces, type Topology } from './namespaces.js';
import { GRPC_PORT, NATS_PORT, PG_PORT, restrictOutbound, runCliOn, spawnUpdraftOn, startNatsOn, startPostgresOn, type HostNats, type HostPostgres } from './services.js';

const probe = probeNetns();
if (!probe.ok) process.stdout.write(`test/netns/multi-host.test.ts skipped: ${probe.reason}\n`);

const DAG_FILES = ['netns_spread.ts', 'netns_tail.ts', 'netns_link_cut.ts', 'netns_failover.ts'];
const HOSTS = [
  { key: 'master', hostname: 'master' },
  { key: 'sa', hostname: 'scheduler-1' },
  { key: 'sb', hostname: 'scheduler-2' },
  { key: 'wa', hostname: 'worker-a' },
  { key: 'wb', hostname: 'worker-b' },
];
const WORKER_HOSTNAME: Record<string, string> = { wa: 'worker-a', wb: 'worker-b' };

interface TryView {
  taskId: string;
  tryNumber: number;
  state: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  error: string | null;
  hostname: string | null;
  workerName: string | null;
}

describe.skipIf(!probe.ok)(`several hosts in network namespaces${probe.ok ? '' : ` (skipped: ${probe.reason})`}`, () => {
  let topology: Topology;
  let dir: string;
  let binDir: string;
  let workDir: string;
  let pg: HostPostgres;
  let nats: HostNats;
  const schedulers = new Map<string, UpdraftProcess>();
  let masterEnv: Record<string, string>;
  const token = randomBytes(16).toString('hex');
  const workers = new Map<string, UpdraftProcess>();
  const allProcesses: UpdraftProcess[] = [];

  const diagnostics = (): string => allProcesses.map((p) => `--- ${p.name} (pid ${p.pid}) ---\n${p.tail(30)}`).join('\n');
  const cliOnMaster = (args: string[]): Promise<CliResult> =>
    runCliOn(topology, 'master', args, { env: masterEnv, cwd: join(dir, 'master'), binDir });
  /** `updraft dags trigger`, run on the master host as an operator would; resolves with the run id. */
  const trigger = async (dagId: string): Promise<string> => {
    const r = await cliOnMaster(['dags', 'trigger', dagId, '--conf', JSON.stringify({ work_dir: workDir }), '--output', 'json']);
    if (r.code !== 0) throw new Error(`updraft dags trigger ${dagId} failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    return (JSON.parse(r.stdout) as { runId: string }).runId;
  };

  /** Starts `updraft worker` on host `key` with only the three connection settings (and test timings). */
  const startWorker = async (key: string): Promise<UpdraftProcess> => {
    const hostDir = join(dir, key);
    const env: Record<string, string> = {
      UPDRAFT__WORKER__SCHEDULER_ADDRESS: ['sa', 'sb'].map((k) => `${topology.host(k).address}:${GRPC_PORT}`).join(','),
      UPDRAFT__NATS__URL: nats.url,
      UPDRAFT__SECURITY__WORKER_TOKEN: token,
      UPDRAFT__WORKER__ALLOW_ROOT_TASKS: 'true', // the tests run as root
      // Nothing of the DAGs on this host: the folder does not exist, the cache starts empty.
      UPDRAFT__CORE__DAGS_FOLDER: join(hostDir, 'no-dags-folder'),
      UPDRAFT__WORKER__DAG_CACHE_FOLDER: join(hostDir, 'dag-cache'),
      UPDRAFT__WORKER__HEARTBEAT_INTERVAL: '500ms',
    };
    const name = `${WORKER_HOSTNAME[key]}#${allProcesses.filter((p) => p.name.startsWith(WORKER_HOSTNAME[key]!)).length + 1}`;
    const worker = spawnUpdraftOn(topology, key, name, ['worker'], join(dir, 'proc', `${name}.log`), { env, cwd: hostDir, binDir });
    allProcesses.push(worker);
    workers.set(key, worker);
    await worker.waitForOutput(/worker ready/, 60_000);
    return worker;
  };

  const tries = async (dagId: string, runId: string): Promise<TryView[]> => {
    const { rows } = await pg.pool.query<TryView>(
      `SELECT t.task_id AS "taskId", t.try_number AS "tryNumber", t.state, t.started_at AS "startedAt", t.ended_at AS "endedAt",
              t.error, COALESCE(w.hostname, t.hostname) AS hostname, w.worker_name AS "workerName"
         FROM task_instance_try t LEFT JOIN worker w ON w.worker_id = t.worker_id
        WHERE t.dag_id = $1 AND t.run_id = $2 ORDER BY t.task_id, t.try_number`,
      [dagId, runId],
    );
    return rows;
  };

  /** States of the workers registered from host `hostname`. */
  const hostStates = async (hostname: string): Promise<string[]> => {
    const { rows } = await pg.pool.query<{ state: string }>('SELECT state FROM worker WHERE hostname = $1 ORDER BY registered_at', [hostname]);
    return rows.map((r) => r.state);
  };

  /** The run of the first test, whose tries' logs the log test reads. */
  let spreadRunId = '';

  const records = (file: string): string[] => (existsSync(join(workDir, file)) ? readFileSync(join(workDir, file), 'utf8').split('\n').filter(Boolean) : []);

  beforeAll(async () => {
    const stale = removeStaleNamespaces();
    if (stale.length > 0) process.stdout.write(`removed namespaces of earlier runs: ${stale.join(', ')}\n`);
    dir = mkdtempSync(join(tmpdir(), 'updraft-netns-'));
    // Removed at exit too when the run is interrupted (kept with E2E_KEEP=1 for a look).
    if (process.env.E2E_KEEP !== '1') registerLeftover({ dir });
    binDir = join(dir, 'bin');
    workDir = join(dir, 'work');
    for (const d of [binDir, workDir, join(dir, 'proc'), ...HOSTS.map((h) => join(dir, h.key))]) mkdirSync(d, { recursive: true });
    const dagsFolder = join(dir, 'master', 'dags');
    mkdirSync(dagsFolder);
    writeFileSync(join(dagsFolder, 'package.json'), '{ "type": "module" }\n');
    for (const file of DAG_FILES) copyFileSync(fileURLToPath(new URL(`./dags/${file}`, import.meta.url)), join(dagsFolder, file));

    topology = createTopology(HOSTS);
    process.stdout.write(
      `hosts on ${topology.subnet}: ${[...topology.hosts.values()].map((h) => `${h.hostname} ${h.address} (${h.ns})`).join(', ')}\n`,
    );
    pg = await startPostgresOn(topology, 'master', binDir);
    nats = await startNatsOn(topology, 'master', join(dir, 'master', 'nats'), binDir);
    masterEnv = {
      UPDRAFT__DATABASE__URL: pg.url,
      UPDRAFT__NATS__URL: nats.url,
      UPDRAFT__SECURITY__WORKER_TOKEN: token,
      UPDRAFT__WORKER__ALLOW_ROOT_TASKS: 'true', // the tests run as root
      UPDRAFT__CORE__DAGS_FOLDER: dagsFolder,
      UPDRAFT__LOGGING__BASE_LOG_FOLDER: join(dir, 'master', 'logs'),
      // Short supervision timings so the link-cut scenario is quick.
      UPDRAFT__SCHEDULER__WORKER_HEARTBEAT_TIMEOUT: '3s',
      UPDRAFT__WORKER__HEARTBEAT_INTERVAL: '500ms',
    };
    // scheduler-1 first, so that it leads; scheduler-2 is its standby.
    for (const key of ['sa', 'sb']) {
      const host = topology.host(key);
      const scheduler = spawnUpdraftOn(topology, key, host.hostname, ['scheduler'], join(dir, 'proc', `${host.hostname}.log`), {
        env: { ...masterEnv, UPDRAFT__SCHEDULER__GRPC_LISTEN: `${host.address}:${GRPC_PORT}` },
        cwd: join(dir, key),
        binDir,
      });
      allProcesses.push(scheduler);
      schedulers.set(key, scheduler);
      await scheduler.waitForOutput(key === 'sa' ? /scheduler ready: .*\(leader\)/ : /scheduler ready: .*\(standby/, 60_000);
    }
    // Worker hosts reach NATS and the schedulers' WorkerService, nothing else (not PostgreSQL):
    // what a dedicated worker host needs, and all the logs of its tries travel by.
    for (const key of ['wa', 'wb']) {
      restrictOutbound(topology, key, [
        { address: topology.host('master').address, port: NATS_PORT },
        ...['sa', 'sb'].map((k) => ({ address: topology.host(k).address, port: GRPC_PORT })),
      ]);
    }
    await Promise.all(['wa', 'wb'].map(startWorker));
    // The DAG files are parsed by the time their DAGs are in the database.
    await waitFor(
      'the DAGs to be parsed',
      async () => {
        const { rows } = await pg.pool.query<{ n: string }>('SELECT count(*) AS n FROM serialized_dag WHERE dag_id = ANY($1)', [
          ['netns_spread', 'netns_link_cut', 'netns_failover'],
        ]);
        return Number(rows[0]!.n) === 3 ? true : undefined;
      },
      { timeoutMs: 60_000, diagnostics },
    );
  });

  afterAll(async () => {
    try {
      await Promise.all([...workers.values()].map((w) => w.stop('SIGTERM', 20_000)));
      await Promise.all([...schedulers.values()].map((p) => p.stop('SIGTERM', 20_000)));
      await nats?.stop();
      await pg?.stop();
    } finally {
      topology?.destroy();
      if (dir) {
        if (process.env.E2E_KEEP === '1') process.stdout.write(`netns test files kept in ${dir}\n`);
        else rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('runs bash and function tasks to success on both worker hosts, which fetch the run\'s DAG bundle version', async () => {
    const dagId = 'netns_spread';
    const runId = await trigger(dagId);
    spreadRunId = runId;
    const run = await waitForRunEnd(pg.pool, dagId, runId, { timeoutMs: 120_000, diagnostics });
    const all = await tries(dagId, runId);
    const failures = all.filter((t) => t.state !== 'success').map((t) => `${t.taskId} try ${t.tryNumber} on ${t.hostname}: ${t.state} ${t.error ?? ''}`);
    expect(run.state, `${failures.join('\n')}\n${diagnostics()}`).toBe('success');

    // Every task ran once and succeeded; the work was spread over both worker hosts.
    expect(all).toHaveLength(18);
    expect(all.every((t) => t.tryNumber === 1 && t.state === 'success')).toBe(true);
    const working = all.filter((t) => t.taskId !== 'start');
    expect(new Set(working.map((t) => t.hostname))).toEqual(new Set(['worker-a', 'worker-b']));
    const perHost = new Map<string, number>();
    for (const t of working) perHost.set(t.hostname!, (perHost.get(t.hostname!) ?? 0) + 1);
    process.stdout.write(`netns_spread: tasks per host ${JSON.stringify(Object.fromEntries(perHost))}\n`);

    // The bash tasks' own records name the host they ran on (its own host name).
    const lines = records('spread.records').map((l) => l.split(' '));
    expect(lines).toHaveLength(13);
    for (const [host, taskId] of lines) expect(all.find((t) => t.taskId === taskId)?.hostname).toBe(host);

    // Function tasks ran the DAG's code on the worker hosts: their return values name the host.
    const { rows: xcoms } = await pg.pool.query<{ task_id: string; value: { hostname: string; taskId: string } }>(
      `SELECT task_id, value FROM xcom WHERE dag_id = $1 AND run_id = $2 AND key = 'return_value' ORDER BY task_id`,
      [dagId, runId],
    );
    expect(xcoms.map((x) => x.task_id)).toEqual(['fn_0', 'fn_1', 'fn_2', 'fn_3']);
    for (const x of xcoms) {
      expect(x.value.taskId).toBe(x.task_id);
      expect(x.value.hostname).toBe(all.find((t) => t.taskId === x.task_id)?.hostname);
    }

    // Neither worker host has a DAGs folder; each host that ran a function task has the DAG file in
    // its cache, inside the DAG bundle version the run started with (bash tasks need no DAG file).
    const { rows: code } = await pg.pool.query<{ bundle_version: string; fileloc: string }>(
      'SELECT r.bundle_version, s.fileloc FROM serialized_dag s JOIN dag_run r ON r.dag_id = s.dag_id WHERE s.dag_id = $1 AND r.run_id = $2',
      [dagId, runId],
    );
    expect(code[0]?.bundle_version).toMatch(/^[0-9a-f]{64}$/);
    const source = readFileSync(join(dir, 'master', 'dags', 'netns_spread.ts'), 'utf8');
    const fnHosts = new Set(all.filter((t) => t.taskId.startsWith('fn_')).map((t) => t.hostname));
    for (const key of ['wa', 'wb']) {
      expect(existsSync(join(dir, key, 'no-dags-folder'))).toBe(false);
      const cached = join(dir, key, 'dag-cache', 'bundles', code[0]!.bundle_version, code[0]!.fileloc);
      if (fnHosts.has(WORKER_HOSTNAME[key]!)) expect(readFileSync(cached, 'utf8')).toBe(source);
    }
    expect(fnHosts.size).toBeGreaterThan(0);

    // The scheduler knows both worker hosts, online, by their host names.
    const { rows: fleet } = await pg.pool.query<{ worker_name: string; hostname: string; state: string }>(
      "SELECT worker_name, hostname, state FROM worker WHERE state <> 'offline' ORDER BY hostname",
    );
    expect(fleet.map((w) => [w.hostname, w.state])).toEqual([
      ['worker-a', 'online'],
      ['worker-b', 'online'],
    ]);
    // `updraft workers list`, run on the master host, shows the same fleet.
    const listed = await cliOnMaster(['workers', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    for (const w of fleet) expect(listed.stdout).toContain(w.worker_name);
  }, 180_000);

  it('the master reads a worker-a try\'s log through the API and `updraft tasks logs`: the worker host\'s file, by way of NATS', async () => {
    const dagId = 'netns_spread';
    expect(spreadRunId).not.toBe('');
    const onA = (await tries(dagId, spreadRunId)).find((t) => t.hostname === 'worker-a' && t.taskId.startsWith('bash_'));
    expect(onA, 'a bash task that ran on worker-a').toBeDefined();
    const { rows } = await pg.pool.query<{ log_path: string }>(
      'SELECT log_path FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND try_number = 1', [dagId, spreadRunId, onA!.taskId]);
    // worker-a's own log folder (its default ./logs, on that host only); the master's folder has no such file.
    const written = readFileSync(join(dir, 'wa', 'logs', rows[0]!.log_path), 'utf8');
    expect(written).toContain('[updraft] task succeeded');
    expect(existsSync(join(dir, 'master', 'logs', rows[0]!.log_path))).toBe(false);

    const listen = `${topology.host('master').address}:8080`;
    const web = spawnUpdraftOn(topology, 'master', 'webserver', ['webserver', '--listen', listen], join(dir, 'proc', 'webserver.log'), {
      env: masterEnv, cwd: join(dir, 'master'), binDir,
    });
    allProcesses.push(web);
    try {
      await web.waitForOutput(/webserver ready/, 60_000);
      await createRoleUsers(pg.pool);
      const url = `http://${listen}/api/v1/dags/${dagId}/dagRuns/${encodeURIComponent(spreadRunId)}/taskInstances/${onA!.taskId}/logs/1?full_content=true`;
      // curl runs on the master host: the request stays inside the namespaces.
      const body = topology.exec('master', ['curl', '-sS', '--fail-with-body', '-H', `authorization: ${basicAuth('Viewer')}`, '-H', 'accept: application/json', url]);
      expect((JSON.parse(body) as { content: string }).content).toBe(written);

      const cli = await cliOnMaster(['tasks', 'logs', dagId, spreadRunId, onA!.taskId]);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toBe(written);
    } finally {
      await web.stop('SIGTERM', 20_000);
    }
  });

  it('a running try\'s log is followed from the master through the API while it runs, across a nats-server restart, then read whole', async () => {
    // The worker hosts reach NATS, but not PostgreSQL on the same host: their logs can only come by NATS.
    const master = topology.host('master').address;
    const connect = (key: string, port: number): string => topology.exec(key, ['timeout', '2', 'bash', '-c', `exec 3<>/dev/tcp/${master}/${port}`]);
    for (const key of ['wa', 'wb']) {
      expect(() => connect(key, NATS_PORT)).not.toThrow();
      expect(() => connect(key, PG_PORT)).toThrow();
    }
    const dagId = 'netns_tail';
    const runId = await trigger(dagId);
    const running = await waitFor('netns_tail.tick running on a worker host', async () => {
      const t = (await tries(dagId, runId)).find((x) => x.taskId === 'tick' && x.hostname !== null);
      return t;
    }, { timeoutMs: 60_000, diagnostics });
    const listen = `${topology.host('master').address}:8081`;
    const web = spawnUpdraftOn(topology, 'master', 'webserver', ['webserver', '--listen', listen], join(dir, 'proc', 'webserver-tail.log'), {
      env: masterEnv, cwd: join(dir, 'master'), binDir,
    });
    allProcesses.push(web);
    try {
      await web.waitForOutput(/webserver ready/, 60_000);
      await createRoleUsers(pg.pool);
      const base = `http://${listen}/api/v1/dags/${dagId}/dagRuns/${encodeURIComponent(runId)}/taskInstances/tick/logs/1`;
      let content = '';
      let token = '';
      // Lines that arrived while the try had not ended yet (read on the master, from the worker host's stream).
      let linesWhileRunning = 0;
      let restarted = false;
      let unavailable = 0;
      await waitFor('the followed log to reach its end', async () => {
        const ended = (await tries(dagId, runId)).find((x) => x.taskId === 'tick')?.endedAt ?? null;
        const tickLines = content.split('\n').filter((l) => / tick \d+$/.test(l)).length;
        if (!restarted && tickLines >= 3 && ended === null) {
          // nats-server restarts mid-task (same store): the worker resends from its file, the reader goes on.
          restarted = true;
          await nats.stop();
          nats = await startNatsOn(topology, 'master', join(dir, 'master', 'nats'), binDir);
        }
        let body: string;
        try {
          body = topology.exec('master', ['curl', '-sS', '--fail-with-body', '-H', `authorization: ${basicAuth('Viewer')}`, '-H', 'accept: application/json',
            token === '' ? base : `${base}?token=${token}`]);
        } catch {
          unavailable += 1; // 503 while the webserver reconnects to NATS
          return undefined;
        }
        const page = JSON.parse(body) as { content: string; continuation_token: string };
        content += page.content;
        token = page.continuation_token;
        if (ended === null) linesWhileRunning = content.split('\n').filter((l) => / tick \d+$/.test(l)).length;
        return ended !== null && content.includes('[updraft] task succeeded') ? true : undefined;
      }, { timeoutMs: 90_000, intervalMs: 500, diagnostics });
      expect(restarted).toBe(true);
      expect(linesWhileRunning, 'tick lines read while the task ran').toBeGreaterThanOrEqual(2);
      const ticks = content.split('\n').filter((l) => / tick \d+$/.test(l)).map((l) => Number(/tick (\d+)$/.exec(l)![1]));
      expect(ticks).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      const host = running.hostname === 'worker-a' ? 'wa' : 'wb';
      const { rows } = await pg.pool.query<{ log_path: string }>(
        'SELECT log_path FROM task_instance_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND try_number = 1', [dagId, runId, 'tick']);
      expect(content).toBe(readFileSync(join(dir, host, 'logs', rows[0]!.log_path), 'utf8'));
      process.stdout.write(`netns_tail: ${linesWhileRunning} of 12 lines read on the master while the task ran on ${running.hostname}; ` +
        `nats-server restarted after line 3 (${unavailable} poll(s) answered 503 meanwhile)\n`);
    } finally {
      await web.stop('SIGTERM', 20_000);
    }
  });

  it('a link cut on worker-a mid-task: zombie, retried on worker-b, one success; the late copy is refused and killed', async () => {
    const dagId = 'netns_link_cut';
    // worker-b leaves so the first try can only go to worker-a; it is back before the cut. SIGTERM
    // is a clean stop: exit code 0 (systemd's Restart=on-failure leaves it stopped), deregistered.
    const left = await workers.get('wb')!.stop('SIGTERM', 30_000);
    expect(left).toMatchObject({ code: 0, killed: false });
    expect(await hostStates('worker-b')).toEqual(['offline']);
    const runId = await trigger(dagId);
    await waitFor('try 1 to start on worker-a', async () => (records('long.records').includes('start worker-a 1') ? true : undefined), {
      timeoutMs: 60_000,
      diagnostics,
    });
    await startWorker('wb');

    const cutAt = Date.now();
    topology.linkDown('wa');
    process.stdout.write(`link of worker-a down at ${new Date(cutAt).toISOString()}\n`);
    const try1 = await waitFor(
      'try 1 to end as a zombie',
      async () => (await tries(dagId, runId)).find((t) => t.tryNumber === 1 && t.endedAt !== null && t.state !== 'running'),
      { timeoutMs: 60_000, diagnostics },
    );
    // The link stays down until the retry has started: with it back at once, a loaded machine can
    // let worker-a (reconnected) claim try 2 before worker-b does.
    await waitFor(
      'try 2 to start',
      async () => ((await tries(dagId, runId)).some((t) => t.tryNumber === 2 && t.startedAt !== null) ? true : undefined),
      { timeoutMs: 60_000, diagnostics },
    );
    const upAt = Date.now();
    topology.linkUp('wa');

    // Worker-a's copy of the task is killed after the link returns (the scheduler refuses it).
    const isTaskProcess = (cmd: string): boolean => cmd.includes('long.records');
    const killedAt = await waitFor(
      "worker-a's copy of the task to be killed",
      async () => ([...commandLines(topology.pids('wa')).values()].some(isTaskProcess) ? undefined : Date.now()),
      { timeoutMs: 60_000, intervalMs: 100, diagnostics },
    );
    const run = await waitForRunEnd(pg.pool, dagId, runId, { timeoutMs: 120_000, diagnostics });
    expect(run.state).toBe('success');

    const all = await tries(dagId, runId);
    const try2 = all.find((t) => t.tryNumber === 2);
    process.stdout.write(
      `link cut figures: zombie detected ${try1.endedAt!.getTime() - cutAt} ms after the cut; ` +
        `retry started on worker-b ${try2?.startedAt ? try2.startedAt.getTime() - cutAt : '?'} ms after the cut; ` +
        `worker-a's copy killed ${killedAt - upAt} ms after the link returned; ` +
        `run ended ${Date.now() - cutAt} ms after the cut (try 2 sleeps 20 s)\n`,
    );

    // Try 1 on worker-a failed as a zombie with the reason; try 2 on worker-b is the one success.
    expect(all.map((t) => [t.tryNumber, t.state, t.hostname])).toEqual([
      [1, 'failed', 'worker-a'],
      [2, 'success', 'worker-b'],
    ]);
    expect(try1.error ?? '').toMatch(/zombie/i);
    const { rows: ti } = await pg.pool.query<{ state: string; try_number: number }>(
      'SELECT state, try_number FROM task_instance WHERE dag_id = $1 AND run_id = $2',
      [dagId, runId],
    );
    expect(ti).toEqual([{ state: 'success', try_number: 2 }]);

    // The task's own records: worker-a's try started and never ended (killed); worker-b's ran through.
    const lines = records('long.records');
    expect(lines).toContain('start worker-a 1');
    expect(lines).not.toContain('end worker-a 1');
    expect(lines.filter((l) => l.startsWith('end '))).toEqual(['end worker-b 2']);

    // Worker-a was told: its late result was refused as stale.
    const workerA = workers.get('wa')!;
    await workerA.waitForOutput(/result refused as stale/, 30_000);
  }, 240_000);

  it('drains worker-b by host name from the master host: it leaves, exits 0 and is offline', async () => {
    const workerB = workers.get('wb')!;
    const drained = await cliOnMaster(['worker', 'drain', 'worker-b']);
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stdout).toMatch(/^worker worker-b-\d+ on worker-b is draining/m);
    const exit = await Promise.race([workerB.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    expect(exit, workerB.tail()).toEqual({ code: 0, signal: null });
    // Both registrations of host worker-b (before and after the restart in the link-cut test) are offline.
    expect(await hostStates('worker-b')).toEqual(['offline', 'offline']);
  }, 120_000);
  it('scheduler-1 loses its link mid-run: scheduler-2 takes over and worker-a keeps working, nothing retried or run twice', async () => {
    // worker-b left in the drain test: every task of this run is worker-a's.
    const dagId = 'netns_failover';
    const runId = await trigger(dagId);
    await waitFor('step_2 to start', async () => (records('failover.records').some((l) => l.includes(' step_2 ')) ? true : undefined), {
      timeoutMs: 60_000,
      diagnostics,
    });
    const cutAt = Date.now();
    topology.linkDown('sa');
    process.stdout.write(`link of scheduler-1 down at ${new Date(cutAt).toISOString()}\n`);
    const s2 = schedulers.get('sb')!;
    await s2.waitForOutput(/scheduler is now the leader/, 60_000);
    const tookOverAt = Date.now();
    const run = await waitForRunEnd(pg.pool, dagId, runId, { timeoutMs: 120_000, diagnostics });
    const endedAt = Date.now();
    topology.linkUp('sa');
    const all = await tries(dagId, runId);
    expect(run.state, `${JSON.stringify(all)}\n${diagnostics()}`).toBe('success');

    // Every step ran once, on worker-a, and succeeded at its first try.
    expect(all.map((t) => [t.taskId, t.tryNumber, t.state, t.hostname])).toEqual(
      Array.from({ length: 8 }, (_, i) => [`step_${i + 1}`, 1, 'success', 'worker-a']),
    );
    const lines = records('failover.records');
    expect(lines).toEqual(Array.from({ length: 8 }, (_, i) => `worker-a step_${i + 1} 1`));
    // Steps ran after the takeover: worker-a went on with scheduler-2.
    const afterCut = all.filter((t) => t.startedAt !== null && t.startedAt.getTime() > cutAt).length;
    expect(afterCut).toBeGreaterThan(0);
    // scheduler-1 noticed it could not hold the leader lock and stepped down.
    await schedulers.get('sa')!.waitForOutput(/stepping down to standby/, 60_000);
    process.stdout.write(
      `scheduler failover figures: scheduler-2 led ${tookOverAt - cutAt} ms after scheduler-1's link went down ` +
        `(the lock session's keepalive ends it in about 5 s); ${afterCut} of 8 steps started after the cut; ` +
        `run ended ${endedAt - cutAt} ms after the cut\n`,
    );
  }, 180_000);
});
