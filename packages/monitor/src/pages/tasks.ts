/** The Tasks page: a live feed of task events with Flower-like search (`state:failed worker:w1 dag:etl_*`). */
import type { Appearance } from '@updraft/core/data';
import { renderPage } from './layout.js';

const BODY = `<h1>Tasks</h1><div class="sub">Task events, newest first. Search: <span class="mono">state:failed worker:w1 dag:etl_* task:load queue:etl</span>; bare words match the DAG or task.</div>
<div class="toolbar"><input type="search" id="q" placeholder="state:failed dag:etl_*" aria-label="search task events"><span class="muted small" id="count"></span></div>
<div class="error" id="error"></div>
<div class="panel"><table><thead><tr><th>Time</th><th>Event</th><th>DAG</th><th>Task</th><th>Run</th><th>Try</th><th>Queue</th><th>Worker</th><th>Duration</th></tr></thead><tbody id="rows"></tbody></table></div>`;

const SCRIPT = String.raw`
const params = new URLSearchParams(location.search);
$('#q').value = params.get('q') ?? '';
let seen = new Set();
const keyOf = (e) => [e.dag_id, e.run_id, e.task_id, e.map_index, e.try_number, e.event].join('|');
const load = refresher(async () => {
  const q = $('#q').value.trim();
  const r = await api('/api/tasks?limit=200' + (q ? '&q=' + encodeURIComponent(q) : ''));
  const first = seen.size === 0;
  const next = new Set();
  $('#rows').innerHTML = r.events.length === 0 ? '<tr><td colspan="9" class="empty">No task events' + (q ? ' match' : ' yet') + '</td></tr>' : r.events.map((e) => {
    const k = keyOf(e); next.add(k);
    return '<tr' + (!first && !seen.has(k) ? ' class="fresh"' : '') + ' data-task="' + esc(e.task_id) + '" data-event="' + esc(e.event) + '">'
      + '<td class="nowrap mono" title="' + esc(e.at) + '">' + time(e.at) + '</td><td>' + badge(e.event) + '</td>'
      + '<td>' + esc(e.dag_id) + '</td><td><a href="' + esc(e.url) + '">' + esc(e.task_id) + (e.map_index >= 0 ? '[' + e.map_index + ']' : '') + '</a>' + (e.error && e.event !== 'succeeded' ? '<div class="reason bad">' + esc(e.error.slice(0, 160)) + '</div>' : '') + '</td>'
      + '<td class="small mono">' + esc(e.run_id) + '</td><td>' + e.try_number + '</td><td><span class="chip">' + esc(e.queue) + '</span></td>'
      + '<td>' + (e.worker ? '<a href="/worker/' + encodeURIComponent(e.worker) + '">' + esc(e.worker) + '</a>' : '<span class="muted">—</span>') + '</td>'
      + '<td class="nowrap">' + (e.duration_ms != null ? dur(e.duration_ms) : e.started_at && !e.ended_at ? ageSpan(e.started_at, '') : '—') + '</td></tr>';
  }).join('');
  seen = next.size ? next : new Set(['']);
  $('#count').textContent = r.events.length + ' events';
});
let timer;
$('#q').addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => { const q = $('#q').value.trim(); history.replaceState(null, '', q ? '?q=' + encodeURIComponent(q) : location.pathname); seen = new Set(); load(); }, 250);
});
live(['tasks'], load);
load();
`;

export const tasksPage = (look: Appearance): string => renderPage({ title: 'Tasks', active: 'tasks', body: BODY, script: SCRIPT, look });
