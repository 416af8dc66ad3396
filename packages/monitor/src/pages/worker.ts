/**
 * A worker's page: state and reason, its running attempts with elapsed time, its remote controls
 * (requested by whom and when, acknowledged when), its configuration and system information, charts over 1 h / 24 h (uPlot: tasks finished per bucket by outcome,
 * run-duration percentiles, average slots in use, largest heartbeat gap) and its recent tasks, live.
 */
import type { Appearance } from '@updraft/core/data';
import { renderPage } from './layout.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const body = (name: string): string => `<div class="toolbar" style="justify-content:space-between;margin:0"><h1 id="title">${esc(name)}</h1>
<span><button id="shrink" class="action neutral" hidden title="One slot fewer (running tasks are not stopped; Op, Admin)">−1 slot</button>
<button id="grow" class="action neutral" hidden title="One slot more (Op, Admin)">+1 slot</button>
<button id="drain" class="action neutral" hidden title="Take no new task, let running ones finish, stay registered until resumed (Op, Admin)">Drain</button>
<button id="resume" class="action neutral" hidden title="Take tasks again (Op, Admin)">Resume</button>
<button id="shutdown" class="action" hidden title="Finish running tasks, take no new one, leave the fleet (Op, Admin)">Shut down</button></span></div>
<div class="sub" id="sub">Loading…</div>
<div class="error" id="error"></div>
<div class="summary" id="summary"></div>
<h2>Running now</h2>
<div class="panel"><table><thead><tr><th>Task</th><th>Run</th><th>Try</th><th>Queue</th><th>Started</th><th>Elapsed</th><th></th></tr></thead><tbody id="active"></tbody></table></div>
<h2>Remote control</h2>
<div class="panel"><table><thead><tr><th>Action</th><th>Detail</th><th>Requested</th><th>Acknowledged by the worker</th></tr></thead><tbody id="controls"></tbody></table></div>
<div class="grid2">
<div><h2>Configuration</h2><div class="panel"><dl class="kv" id="config"></dl>
<form id="add-queue" class="toolbar small" hidden><input id="new-queue" placeholder="queue" aria-label="queue to pull from" size="12">
<button class="action neutral" title="Start pulling from this queue (Op, Admin)">Add consumer</button></form></div></div>
<div><h2>System</h2><div class="panel"><dl class="kv" id="system"></dl></div></div>
</div>
<h2>Charts <span class="seg" style="float:right"><a href="#" data-window="1h" class="on">1 h</a><a href="#" data-window="24h">24 h</a></span></h2>
<div class="grid2"><div class="panel chart"><h3>Tasks finished by outcome</h3><div id="chart-outcomes"></div></div>
<div class="panel chart"><h3>Run duration (p50, p95)</h3><div id="chart-durations"></div></div>
<div class="panel chart"><h3>Slots in use (average per bucket)</h3><div id="chart-slots"></div></div>
<div class="panel chart"><h3>Heartbeat gaps (largest per bucket)</h3><div id="chart-heartbeat-gaps"></div></div></div>
<h2>Recent tasks</h2>
<div class="panel"><table><thead><tr><th>Time</th><th>Event</th><th>Task</th><th>Run</th><th>Try</th><th>Duration</th></tr></thead><tbody id="recent"></tbody></table></div>`;

const script = (name: string): string => `const WORKER = ${JSON.stringify(name)};` + String.raw`
const kv = (rows) => rows.map(([k, v]) => '<dt>' + esc(k) + '</dt><dd>' + v + '</dd>').join('');
let windowName = '1h';
const charts = {};
function chart(id, series, data, opts) {
  const el = $('#' + id);
  const width = el.clientWidth || 560;
  if (charts[id]) { charts[id].setData(data); charts[id].setSize({ width, height: 200 }); return; }
  if (typeof uPlot === 'undefined') { el.textContent = 'charts unavailable'; return; }
  charts[id] = new uPlot({ width, height: 200, series: [{}, ...series], scales: { y: { range: (u, min, max) => [0, Math.max(1, max ?? 1)] } }, axes: [{ stroke: '#8a94a3', grid: { stroke: 'rgba(128,128,128,.15)' } }, { stroke: '#8a94a3', grid: { stroke: 'rgba(128,128,128,.15)' }, ...opts }], legend: { show: true } }, data, el);
}
const loadCharts = refresher(async () => {
  const s = await api('/api/worker/' + encodeURIComponent(WORKER) + '/series?window=' + windowName);
  const xs = s.points.map((p) => Date.parse(p.at) / 1000);
  chart('chart-outcomes', [{ label: 'succeeded', stroke: '#16a34a', fill: 'rgba(22,163,74,.12)', width: 2 }, { label: 'failed', stroke: '#dc2626', fill: 'rgba(220,38,38,.12)', width: 2 }],
    [xs, s.points.map((p) => p.succeeded), s.points.map((p) => p.failed)], {});
  chart('chart-durations', [{ label: 'p50 s', stroke: '#2563eb', width: 2, points: { show: true, size: 6 } }, { label: 'p95 s', stroke: '#f59e0b', width: 2, points: { show: true, size: 6 } }],
    [xs, s.points.map((p) => p.p50_ms == null ? null : p.p50_ms / 1000), s.points.map((p) => p.p95_ms == null ? null : p.p95_ms / 1000)], {});
  chart('chart-slots', [{ label: 'slots', stroke: '#7c3aed', fill: 'rgba(124,58,237,.12)', width: 2 }], [xs, s.points.map((p) => p.slots)], {});
  // A spike is a stalled or overloaded host (or a network cut); a bucket without heartbeats is a hole.
  chart('chart-heartbeat-gaps', [{ label: 'largest gap s', stroke: '#0891b2', fill: 'rgba(8,145,178,.12)', width: 2, points: { show: true, size: 5 } }],
    [xs, s.points.map((p) => p.max_heartbeat_gap_ms == null ? null : p.max_heartbeat_gap_ms / 1000)], {});
});
const load = refresher(async () => {
  const w = await api('/api/worker/' + encodeURIComponent(WORKER));
  const gone = w.state === 'offline' || w.state === 'deregistered';
  $('#title').innerHTML = esc(w.name) + ' ' + badge(w.state);
  const paused = w.state === 'paused' || (w.state === 'draining' && /^drained/.test(w.state_reason || ''));
  $('#drain').hidden = $('#grow').hidden = $('#shrink').hidden = !(w.state === 'online' || w.state === 'busy');
  $('#resume').hidden = !paused;
  $('#shutdown').hidden = !(w.state === 'online' || w.state === 'busy' || paused);
  $('#sub').innerHTML = (w.state_reason ? '<span class="' + (gone ? 'bad' : '') + '">' + esc(w.state_reason) + '</span> · since ' + ageSpan(w.state_since) + ' · ' : '') + 'last heartbeat ' + ageSpan(w.last_heartbeat);
  $('#summary').innerHTML = [['Slots used', gone ? '—' : w.slots_used + ' / ' + w.concurrency + (w.concurrency_pending ? ' → ' + w.concurrency_pending : '')], ['Processed', w.processed],
    ['Last hour', w.outcomes.hour.succeeded + ' ✓ ' + w.outcomes.hour.failed + ' ✗'], ['Last day', w.outcomes.day.succeeded + ' ✓ ' + w.outcomes.day.failed + ' ✗'],
    ['Retried (all)', w.outcomes.all.retried]].map(([k, v]) => '<div class="card"><div class="k">' + k + '</div><div class="v">' + v + '</div></div>').join('');
  const live = w.state === 'online' || w.state === 'busy' || w.state === 'draining';
  const terminate = (a) => live ? ' <button class="action small" data-terminate="' + esc(JSON.stringify([a.dag_id, a.run_id, a.task_id, a.map_index])) + '" title="Kill its process tree; the task fails or goes up for retry (Op, Admin)">Terminate</button>' : '';
  $('#active').innerHTML = w.active.length === 0 ? '<tr><td colspan="7" class="empty">Nothing running</td></tr>' : w.active.map((a) => '<tr><td><a href="' + esc(a.url) + '">' + esc(a.dag_id) + '.' + esc(a.task_id) + '</a></td><td class="small mono">' + esc(a.run_id) + '</td><td>' + a.try_number + '</td><td><span class="chip">' + esc(a.queue) + '</span></td><td class="mono">' + time(a.started_at) + '</td><td>' + ageSpan(a.started_at, '') + '</td><td>' + terminate(a) + '</td></tr>').join('');
  recheckWhile(!gone && w.controls.some((c) => !c.acknowledged_at), load);
  $('#controls').innerHTML = w.controls.length === 0 ? '<tr><td colspan="4" class="empty">No remote control asked yet</td></tr>' : w.controls.map((c) => '<tr data-control="' + esc(c.action) + '"><td>' + esc(actionName(c.action)) + '</td><td class="small">' + esc(c.detail ?? '') + '</td><td>' + esc(c.requested_by) + ' <span class="mono small">' + time(c.requested_at) + '</span></td><td>' + ackHtml(c) + '</td></tr>').join('');
  const cancel = (q) => live && w.queues.length > 1 ? '<button class="chip-x" data-cancel-queue="' + esc(q) + '" title="Stop pulling from ' + esc(q) + ' (Op, Admin)">×</button>' : '';
  $('#add-queue').hidden = !live;
  $('#config').innerHTML = kv([['Queues', w.queues.map((q) => '<span class="chip">' + esc(q) + cancel(q) + '</span>').join('') + (w.queues_pending ? '<div class="small muted">→ ' + w.queues_pending.map(esc).join(', ') + ' at its next heartbeat</div>' : '')], ['Concurrency', w.concurrency], ['umask', esc(w.umask ?? '?')], ['uid / gid', esc(w.uid ?? '?') + ' / ' + esc(w.gid ?? '?')], ['Version', esc(w.version ?? '?')], ['Worker id', '<span class="mono small">' + esc(w.worker_id) + '</span>']]);
  $('#system').innerHTML = kv([['Host', esc(w.hostname)], ['PID', esc(w.pid ?? '?')], ['Load average', w.load_average ? w.load_average.map((x) => x.toFixed(2)).join(' · ') : '—'], ['Worker CPU', w.cpu_percent == null ? '—' : w.cpu_percent.toFixed(1) + ' % of one core'], ['Worker RSS', w.rss_bytes == null ? '—' : mib(w.rss_bytes)], ['Started', esc(w.started_at) + ' (' + ageSpan(w.started_at) + ')'], ['Heartbeat age', ageSpan(w.last_heartbeat, '')]]);
  $('#recent').innerHTML = w.recent.length === 0 ? '<tr><td colspan="6" class="empty">No tasks yet</td></tr>' : w.recent.map((e) => '<tr><td class="mono">' + time(e.at) + '</td><td>' + badge(e.event) + '</td><td><a href="' + esc(e.url) + '">' + esc(e.dag_id) + '.' + esc(e.task_id) + '</a></td><td class="small mono">' + esc(e.run_id) + '</td><td>' + e.try_number + '</td><td>' + (e.duration_ms == null ? '—' : dur(e.duration_ms)) + '</td></tr>').join('');
});
for (const action of ['grow', 'shrink']) $('#' + action).addEventListener('click', async () => {
  const res = await fetch(href('/api/worker/pool/' + action + '/' + encodeURIComponent(WORKER) + '?n=1'), { method: 'POST' });
  const body = await res.json().catch(() => ({}));
  $('#error').textContent = res.ok ? '' : 'Refused: ' + (body.detail || res.status);
  load();
});
$('#drain').addEventListener('click', () => {
  if (confirm('Drain ' + WORKER + '? It takes no new task and finishes its running ones; it stays until resumed.')) control('/api/worker/drain/' + encodeURIComponent(WORKER), 'Drain');
});
$('#resume').addEventListener('click', () => control('/api/worker/resume/' + encodeURIComponent(WORKER), 'Resume'));
$('#shutdown').addEventListener('click', () => {
  if (confirm('Shut down ' + WORKER + '? It finishes its running tasks, takes no new one, then leaves the fleet.')) control('/api/worker/shutdown/' + encodeURIComponent(WORKER), 'Shutdown');
});
async function control(path, what) {
  const res = await fetch(href(path), { method: 'POST' });
  const body = await res.json().catch(() => ({}));
  await load();
  $('#error').textContent = res.ok ? '' : what + ' refused: ' + (body.detail || res.status);
}
document.addEventListener('click', (ev) => {
  const t = ev.target.closest('[data-terminate], [data-cancel-queue]');
  if (!t) return;
  if (t.dataset.cancelQueue) {
    if (confirm('Stop pulling from queue ' + t.dataset.cancelQueue + '? Running tasks go on.')) control('/api/worker/queue/cancel-consumer/' + encodeURIComponent(WORKER) + '?queue=' + encodeURIComponent(t.dataset.cancelQueue), 'Cancel consumer');
    return;
  }
  const [dag, run, task, mapIndex] = JSON.parse(t.dataset.terminate);
  const answer = prompt('Terminate ' + dag + '.' + task + ' (its whole process tree)? Type "failed" or "up_for_retry":', 'failed');
  if (answer !== 'failed' && answer !== 'up_for_retry') return;
  control('/api/task/terminate/' + [dag, run, task].map(encodeURIComponent).join('/') + '?map_index=' + mapIndex + '&state=' + answer, 'Terminate');
});
$('#add-queue').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = $('#new-queue').value.trim();
  if (q) control('/api/worker/queue/add-consumer/' + encodeURIComponent(WORKER) + '?queue=' + encodeURIComponent(q), 'Add consumer');
  $('#new-queue').value = '';
});
for (const a of document.querySelectorAll('[data-window]')) a.addEventListener('click', (ev) => {
  ev.preventDefault(); windowName = a.dataset.window;
  for (const b of document.querySelectorAll('[data-window]')) b.classList.toggle('on', b === a);
  loadCharts();
});
live(['workers', 'tasks'], (topic) => { load(); if (topic !== 'workers') loadCharts(); });
// Heartbeats change no task: the heartbeat-gap chart is read again every 30 s.
setInterval(loadCharts, 30000);
load(); loadCharts();
`;

export const workerPage = (name: string, look: Appearance): string => renderPage({
  title: name, active: 'workers', body: body(name), script: script(name), look,
  head: '<link rel="stylesheet" href="/static/uPlot.min.css"><script src="/static/uPlot.iife.min.js"></script>',
});
