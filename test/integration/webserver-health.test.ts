import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../harness/index.js';
import { createPool } from '@updraft/core';
import { startWebserver, type RunningWebserver } from '@updraft/webserver';
import type pg from 'pg';

describe('webserver health endpoint', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  let web: RunningWebserver;

  beforeAll(async () => {
    server = await startPostgres();
    pool = createPool({ url: server.url, max: 2, onError: () => {} });
    web = await startWebserver({ listen: '127.0.0.1:0', db: pool });
  });

  afterAll(async () => {
    await web?.close();
    await pool?.end();
    await server?.stop();
  });

  it('reports a healthy metadata database, then unhealthy while it is down, then healthy again', async () => {
    const up = await fetch(`${web.url}/health`);
    expect(up.status).toBe(200);
    // A database not migrated yet: healthy, with no scheduler (it has none of the scheduler's tables).
    expect(await up.json()).toEqual({ status: 'healthy', metadatabase: { status: 'healthy' }, scheduler: { status: 'unhealthy', latest_scheduler_heartbeat: null } });

    await server.kill();
    const down = await fetch(`${web.url}/health`);
    expect(down.status).toBe(503);
    const body = await down.text();
    expect(JSON.parse(body)).toEqual({ status: 'unhealthy', metadatabase: { status: 'unhealthy' }, scheduler: { status: 'unhealthy', latest_scheduler_heartbeat: null } });
    // The database's error text stays out of the answer.
    expect(body).not.toMatch(/ECONNREFUSED|connect/);

    await server.restart();
    const again = await fetch(`${web.url}/health`);
    expect(again.status).toBe(200);
  });

  it('answers an unknown route with a 404 problem document naming it', async () => {
    const res = await fetch(`${web.url}/nope?x=1`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'about:blank', status: 404, detail: 'no route for GET /nope' });
  });
});
