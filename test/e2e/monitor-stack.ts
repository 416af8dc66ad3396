/**
 * The monitor's tests: a real stack (PostgreSQL, nats-server, `updraft scheduler`, two `updraft
 * worker` processes) plus an `updraft monitor` process, users of each role, and helpers to call
 * the monitor's API and read its /metrics with a strict Prometheus text-format parser.
 */
import { join } from 'node:path';
import { type Role } from '@updraft/core';
import { freePort } from '../harness/index.js';
import { basicAuth, createRoleUsers } from '../integration/api-support.js';
import { spawnUpdraft, type UpdraftProcess } from './processes.js';
import { parsePrometheusText, type PromFamily } from './prom-text.js';
import { startStack, type Stack, type StackOptions } from './stack.js';

/** Short supervision times: the tests wait less for a killed worker to be judged. */
export const FAST_FLEET_ENV = {
  UPDRAFT__SCHEDULER__WORKER_HEARTBEAT_TIMEOUT: '3s',
  UPDRAFT__SCHEDULER__SUPERVISION_INTERVAL: '500ms',
  UPDRAFT__WORKER__HEARTBEAT_INTERVAL: '500ms',
};

export interface MonitorStack {
  stack: Stack;
  monitorUrl: string;
  monitor: UpdraftProcess;
  /** Stops the monitor process and starts a new one on the same port. */
  restartMonitor(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMonitorStack(o: StackOptions): Promise<MonitorStack> {
  const stack = await startStack({ ...o, env: { ...FAST_FLEET_ENV, ...o.env } });
  try {
    await createRoleUsers(stack.pool);
    const listen = `127.0.0.1:${await freePort()}`;
    let n = 0;
    const spawnMonitor = async (): Promise<UpdraftProcess> => {
      const p = spawnUpdraft(`monitor-${++n}`, ['monitor'], {
        env: { ...stack.env, UPDRAFT__MONITOR__LISTEN: listen, UPDRAFT__MONITOR__REFRESH_INTERVAL: '500ms' },
        logFile: join(stack.dir, 'proc', `monitor-${n}.log`),
        cwd: stack.dir,
      });
      await p.waitForOutput(/monitor ready/, 60_000);
      return p;
    };
    const ms: MonitorStack = {
      stack,
      monitorUrl: `http://${listen}`,
      monitor: await spawnMonitor(),
      async restartMonitor() {
        await ms.monitor.stop('SIGTERM', 20_000);
        ms.monitor = await spawnMonitor();
      },
      async stop() {
        await ms.monitor.stop('SIGTERM', 20_000);
        await stack.stop();
      },
    };
    return ms;
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

export interface Answer {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  headers: Headers;
}

/** A request to the monitor as a user of `as` (null: no credentials). */
export async function monitorCall(ms: MonitorStack, path: string, o: { as?: Role | null; method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...o.headers };
  const as = o.as === undefined ? 'Viewer' : o.as;
  if (as !== null) headers.authorization = basicAuth(as);
  const res = await fetch(`${ms.monitorUrl}${path}`, { method: o.method ?? 'GET', headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

/** /metrics parsed by a Prometheus text-format parser. */
export async function scrape(ms: MonitorStack): Promise<PromFamily[]> {
  const res = await fetch(`${ms.monitorUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parsePrometheusText(await res.text());
}

/** The value of the first sample named `name` whose labels include `labels`, or undefined. */
export function sample(families: PromFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families) {
    const s = f.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
    if (s) return s.value;
  }
  return undefined;
}

export type { PromFamily };
