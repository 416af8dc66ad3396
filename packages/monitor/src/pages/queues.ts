/** The Queues page: per queue what JetStream and the database hold, who serves it, and why tasks wait. */
import type { Appearance } from '@updraft/core/data';
import { renderPage } from './layout.js';

const BODY = `<h1>Queues</h1><div class="sub">JetStream's consumer of each queue and the task instances queued in the database; for each task waiting, why. A wide run keeps at most scheduler.publish_window of its queued tasks in JetStream; the others go to workers as tasks end.</div>
<div class="error" id="error"></div>
<div class="panel"><table><thead><tr><th>Queue</th><th title="JetStream: not delivered yet">Pending</th><th title="JetStream: delivered, not acknowledged">Awaiting ack</th><th>Redelivered</th>
<th title="Database: queued, not claimed">Queued</th><th>Oldest</th><th>Running</th><th>Workers (free slots)</th><th>Why tasks wait</th></tr></thead><tbody id="queues"></tbody></table></div>
<h2>Waiting tasks</h2>
<div class="panel"><table><thead><tr><th>Task</th><th>Queue</th><th>Pool</th><th>State</th><th>Waiting for</th><th>Requeues</th><th>Why</th></tr></thead><tbody id="waiting"></tbody></table></div>`;

const SCRIPT = String.raw`
const load = refresher(async () => {
  const r = await api('/api/queues/length');
  $('#error').textContent = r.broker_error ? 'JetStream: ' + r.broker_error : '';
  $('#queues').innerHTML = r.queues.length === 0 ? '<tr><td colspan="9" class="empty">No queues yet</td></tr>' : r.queues.map((q) => '<tr data-queue="' + esc(q.name) + '">'
    + '<td><b>' + esc(q.name) + '</b></td>'
    + '<td>' + (q.broker ? q.broker.pending : '<span class="muted">—</span>') + '</td><td>' + (q.broker ? q.broker.ack_pending : '—') + '</td><td>' + (q.broker ? q.broker.redelivered : '—') + '</td>'
    + '<td>' + q.queued + '</td><td class="nowrap">' + (q.oldest_queued_ms == null ? '—' : dur(q.oldest_queued_ms)) + '</td><td>' + q.running + '</td>'
    + '<td>' + (q.workers.length ? q.workers.map((w) => '<div class="small nowrap"><a href="/worker/' + encodeURIComponent(w.name) + '">' + esc(w.name) + '</a> ' + badge(w.state) + ' <span class="muted">' + w.free_slots + ' / ' + w.concurrency + ' free</span></div>').join('') : '<span class="muted">none</span>') + '</td>'
    + '<td class="reason-cell">' + (q.reason ? '<span class="' + (q.queued > 0 ? 'bad' : 'muted') + '">' + esc(q.reason) + '</span>' : '<span class="muted">—</span>') + '</td></tr>').join('');
  $('#waiting').innerHTML = r.waiting.length === 0 ? '<tr><td colspan="7" class="empty">Nothing is waiting</td></tr>' : r.waiting.map((t) => '<tr>'
    + '<td><a href="' + esc(t.url) + '">' + esc(t.dag_id) + '.' + esc(t.task_id) + '</a><div class="small muted mono">' + esc(t.run_id) + '</div></td>'
    + '<td><span class="chip">' + esc(t.queue) + '</span></td><td class="small">' + esc(t.pool) + '</td><td>' + badge(t.state) + '</td>'
    + '<td class="nowrap">' + dur(t.waiting_ms) + '</td><td>' + t.requeue_count + '</td><td class="why">' + esc(t.reason) + '</td></tr>').join('');
});
live(['queues', 'workers'], load);
setInterval(load, 5000);
load();
`;

export const queuesPage = (look: Appearance): string => renderPage({ title: 'Queues', active: 'queues', body: BODY, script: SCRIPT, look });
