/**
 * The Workers page: every worker with its state, reason, slots, running attempts, outcome counts
 * and its latest remote control (requested by whom, when; acknowledged when), live.
 */
import type { Appearance } from '@updraft/core/data';
import { renderPage } from './layout.js';

const BODY = `<h1>Workers</h1><div class="sub" id="sub">Loading…</div>
<div class="summary" id="summary"></div>
<div class="toolbar"><input type="search" id="filter" placeholder="Filter by name, host, queue or state" aria-label="filter workers">
<label><input type="checkbox" id="all"> include workers offline longer than the retention</label>
<span class="muted small" style="margin-left:auto">Tasks: <b class="ok">succeeded</b> / <b class="bad">failed</b> / <b class="warn">retried</b></span></div>
<div class="error" id="error"></div>
<div class="panel"><table><thead><tr><th>Worker</th><th>State</th><th>Queues</th><th>Slots</th><th>Running</th>
<th title="succeeded / failed / retried">Tasks 1 h</th><th>24 h</th><th>All time</th><th title="host load average; the worker process's CPU (percent of one core) and resident memory">Load · CPU · RSS</th><th>Heartbeat</th><th>Started</th></tr></thead>
<tbody id="rows"></tbody></table></div>`;

const SCRIPT = String.raw`
const counts = (c) => '<span class="counts"><b class="ok">' + c.succeeded + '</b> / <b class="bad">' + c.failed + '</b> / <b class="warn">' + c.retried + '</b></span>';
let workers = [];
function render() {
  const f = $('#filter').value.trim().toLowerCase();
  const shown = workers.filter((w) => !f || [w.name, w.hostname, w.state, ...w.queues].some((x) => String(x).toLowerCase().includes(f)));
  const by = (s) => workers.filter((w) => w.state === s).length;
  $('#summary').innerHTML = [['Workers', workers.length], ['Online', by('online')], ['Busy', by('busy')], ['Draining', by('draining')], ['Paused', by('paused')], ['Offline', by('offline') + by('deregistered')],
    ['Slots used', workers.reduce((n, w) => n + w.slots_used, 0) + ' / ' + workers.filter((w) => w.state !== 'offline' && w.state !== 'deregistered').reduce((n, w) => n + w.concurrency, 0)]]
    .map(([k, v]) => '<div class="card"><div class="k">' + k + '</div><div class="v">' + v + '</div></div>').join('');
  $('#rows').innerHTML = shown.length === 0 ? '<tr><td colspan="11" class="empty">No workers' + (f ? ' match' : ' registered yet') + '</td></tr>' : shown.map((w) => {
    const gone = w.state === 'offline' || w.state === 'deregistered';
    const pct = w.concurrency ? Math.round(100 * w.slots_used / w.concurrency) : 0;
    const active = w.active.slice(0, 3).map((a) => '<div class="small nowrap"><a href="' + esc(a.url) + '">' + esc(a.dag_id) + '.' + esc(a.task_id) + '</a> <span class="muted">' + ageSpan(a.started_at, '') + '</span></div>').join('')
      + (w.active.length > 3 ? '<div class="small muted">+' + (w.active.length - 3) + ' more</div>' : '');
    return '<tr data-worker="' + esc(w.name) + '" data-state="' + esc(w.state) + '">'
      + '<td><a href="/worker/' + encodeURIComponent(w.name) + '"><b>' + esc(w.name) + '</b></a><div class="small muted">' + esc(w.hostname) + ' · pid ' + esc(w.pid ?? '?') + (w.version ? ' · v' + esc(w.version) : '') + '</div>'
      + '<div class="small muted">umask ' + esc(w.umask ?? '?') + ' · uid ' + esc(w.uid ?? '?') + ' · gid ' + esc(w.gid ?? '?') + '</div></td>'
      + '<td class="state">' + badge(w.state) + (w.state_reason ? '<div class="reason' + (gone ? ' bad' : '') + '">' + esc(w.state_reason) + '</div>' : '') + (w.state !== 'online' ? '<div class="small muted">since ' + ageSpan(w.state_since) + '</div>' : '') + controlLine(w.controls[0]) + '</td>'
      + '<td>' + w.queues.map((q) => '<span class="chip">' + esc(q) + '</span>').join('') + (w.queues_pending ? '<div class="small muted">→ ' + w.queues_pending.map(esc).join(', ') + ' (not acknowledged yet)</div>' : '') + '</td>'
      + '<td class="slots">' + (gone ? '<span class="muted">—</span>' : w.slots_used + ' / ' + w.concurrency + ' <span class="muted small">(' + w.slots_free + ' free)</span><div class="bar"><span style="width:' + pct + '%"></span></div>') + '</td>'
      + '<td>' + (active || '<span class="muted">—</span>') + '</td>'
      + '<td>' + counts(w.outcomes.hour) + '</td><td>' + counts(w.outcomes.day) + '</td><td>' + counts(w.outcomes.all) + '</td>'
      + '<td class="small nowrap">' + (w.load_average ? w.load_average.map((x) => x.toFixed(2)).join(' ') : '—')
      + '<div class="muted">' + (w.cpu_percent == null ? '—' : w.cpu_percent.toFixed(1) + ' % CPU') + ' · ' + (w.rss_bytes == null ? '—' : mib(w.rss_bytes)) + '</div></td>'
      + '<td class="nowrap">' + ageSpan(w.last_heartbeat) + '</td>'
      + '<td class="small nowrap">' + ageSpan(w.started_at) + '</td></tr>';
  }).join('');
}
const load = refresher(async () => {
  const body = await api('/api/workers' + ($('#all').checked ? '?all=true' : ''));
  workers = body.workers;
  recheckWhile(workers.some((w) => w.state !== 'offline' && w.state !== 'deregistered' && w.controls[0] && !w.controls[0].acknowledged_at), load);
  $('#sub').textContent = 'Heartbeat timeout ' + dur(body.heartbeat_timeout_ms) + '; a worker silent longer is shown offline.';
  render();
});
$('#filter').addEventListener('input', render);
$('#all').addEventListener('change', load);
live(['workers'], load);
load();
`;

export const workersPage = (look: Appearance): string => renderPage({ title: 'Workers', active: 'workers', body: BODY, script: SCRIPT, look });
