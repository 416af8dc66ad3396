/**
 * The webserver: REST API and UI for people. For now: the health endpoint that `updraft
 * standalone` and deployments probe, and the task instances of a run (state, tries, requeues);
 * the UI and the rest of the API come with their issues.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageOf, pingDatabase, taskInstancesSql, type Logger, type Queryable } from '@updraft/core';
import { loadUiAssets, serveUi } from './ui-static.js';

export interface WebserverOptions {
  /** host:port to listen on. Default `127.0.0.1:8080` (config webserver.listen); port 0 picks a free one. */
  listen?: string;
  /** Metadata database; the health endpoint checks it. */
  db: Queryable;
  logger?: Logger;
  /** The built web UI to serve. Default: packages/ui/dist/app (`npm run build`). */
  uiDir?: string;
}

export interface RunningWebserver {
  url: string;
  port: number;
  close(): Promise<void>;
}

function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i) || '127.0.0.1', port: Number(listen.slice(i + 1)) };
}

async function health(db: Queryable): Promise<{ status: number; body: unknown }> {
  try {
    await pingDatabase(db);
    return { status: 200, body: { status: 'healthy', metadatabase: { status: 'healthy' } } };
  } catch (err) {
    return {
      status: 503,
      body: { status: 'unhealthy', metadatabase: { status: 'unhealthy', error: messageOf(err) } },
    };
  }
}

const TASK_INSTANCES = /^\/api\/v1\/dags\/([^/]+)\/dagRuns\/([^/]+)\/taskInstances$/;

/** GET /api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances: each task's state, try, worker and requeues. */
async function taskInstances(db: Queryable, dagId: string, runId: string): Promise<{ status: number; body: unknown }> {
  const rows = await taskInstancesSql.listRunTaskInstances(db, dagId, runId);
  if (rows.length === 0) return { status: 404, body: { error: `DAG run '${runId}' of DAG '${dagId}' not found` } };
  return { status: 200, body: { task_instances: rows, total_entries: rows.length } };
}

export async function startWebserver(options: WebserverOptions): Promise<RunningWebserver> {
  const { host, port } = splitListen(options.listen ?? '127.0.0.1:8080');
  const ui = loadUiAssets(options.uiDir);
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/health' || path === '/api/v1/health')) {
      health(options.db).then(
        (h) => send(h.status, h.body),
        (err: unknown) => send(500, { error: String(err) }),
      );
      return;
    }
    const ti = req.method === 'GET' ? TASK_INSTANCES.exec(path ?? '') : null;
    if (ti) {
      let dagId: string;
      let runId: string;
      try {
        dagId = decodeURIComponent(ti[1]!);
        runId = decodeURIComponent(ti[2]!);
      } catch {
        send(400, { error: 'malformed percent-encoding in the DAG id or run id' });
        return;
      }
      taskInstances(options.db, dagId, runId).then(
        (r) => send(r.status, r.body),
        (err: unknown) => send(500, { error: messageOf(err) }),
      );
      return;
    }
    if (serveUi(ui, req, res)) return;
    send(404, { error: `no route for ${req.method ?? 'GET'} ${path ?? '/'}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  options.logger?.info({ host, port: actual }, 'webserver listening');
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
