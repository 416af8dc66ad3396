/**
 * Live pages: one EventSource per page on /ui/events (?dag_id= on a DAG's page). A change
 * refreshes the queries that show it (batched over 200 ms); every (re)connect refreshes them all,
 * so what changed while the connection was down is caught up. The browser reconnects by itself.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { atOrigin } from './http.js';

interface ChangeEvent {
  k: string;
  d: string[] | null;
}

/** Reads over every DAG (query keys under 'dashboard': the home page, the task instance list): refreshed by any change, at most once per this many ms. */
const DASHBOARD_EVERY_MS = 5_000;
let dashboardAt = 0;
let dashboardTimer: ReturnType<typeof setTimeout> | undefined;

function refreshDashboard(qc: QueryClient) {
  if (dashboardTimer !== undefined) return;
  dashboardTimer = setTimeout(() => {
    dashboardTimer = undefined;
    dashboardAt = Date.now();
    void qc.invalidateQueries({ queryKey: ['dashboard'] });
  }, Math.max(0, dashboardAt + DASHBOARD_EVERY_MS - Date.now()));
}

function refresh(qc: QueryClient, events: ChangeEvent[]) {
  const all = events.some((e) => e.k === 'resync' || e.d === null);
  if (all) {
    void qc.invalidateQueries();
    return;
  }
  refreshDashboard(qc);
  const dags = new Set(events.flatMap((e) => e.d ?? []));
  const kinds = new Set(events.map((e) => e.k));
  for (const dagId of dags) void qc.invalidateQueries({ queryKey: ['dag', dagId] });
  if (kinds.has('run') || kinds.has('ti')) void qc.invalidateQueries({ queryKey: ['recentRuns'] });
  if (kinds.has('dag') || kinds.has('run')) void qc.invalidateQueries({ queryKey: ['dags'] });
}

export function useLiveEvents(dagId: string | null) {
  const qc = useQueryClient();
  useEffect(() => {
    const source = new EventSource(atOrigin(`/ui/events${dagId ? `?dag_id=${encodeURIComponent(dagId)}` : ''}`));
    let pending: ChangeEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let connectedBefore = false;
    source.addEventListener('ready', () => {
      // The first connect follows the page's own first reads; a reconnect catches up.
      if (connectedBefore) void qc.invalidateQueries();
      connectedBefore = true;
    });
    source.onmessage = (m: MessageEvent<string>) => {
      try {
        pending.push(JSON.parse(m.data) as ChangeEvent);
      } catch {
        return;
      }
      timer ??= setTimeout(() => {
        timer = undefined;
        const batch = pending;
        pending = [];
        refresh(qc, batch);
      }, 200);
    };
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [dagId, qc]);
}
