/**
 * Script shared by the pages (plain browser JavaScript, no build step): JSON reads, escaping,
 * durations in words, ages that tick every half second against the server's clock, and the live
 * stream (server-sent events from /api/events) that makes each page re-read what it shows, once at
 * a time, on every signal and after every (re)connect.
 */
export const CLIENT_COMMON = String.raw`
const $ = (s, r = document) => r.querySelector(s);
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
let clockSkew = 0;
// Requests go to the page's origin without the user:password a bookmarked address may carry:
// resolved against such an address, fetch refuses every URL ("includes credentials"); the browser
// keeps sending the credentials it logged in with.
const href = (path) => new URL(path, location.origin).href;
async function api(path) {
  const res = await fetch(href(path), { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.detail || ('HTTP ' + res.status));
  if (body.server_time) clockSkew = Date.parse(body.server_time) - Date.now();
  return body;
}
function dur(ms) {
  if (ms == null) return '—';
  const s = ms / 1000;
  if (s < 10) return s.toFixed(1) + ' s';
  if (s < 90) return Math.round(s) + ' s';
  if (s < 5400) return Math.round(s / 60) + ' min';
  if (s < 172800) return (s / 3600).toFixed(1) + ' h';
  return Math.round(s / 86400) + ' d';
}
const since = (iso) => iso ? Date.now() + clockSkew - Date.parse(iso) : null;
const ageSpan = (iso, suffix = ' ago') => iso ? '<span data-since="' + esc(iso) + '" data-suffix="' + esc(suffix) + '">' + dur(since(iso)) + suffix + '</span>' : '—';
const mib = (bytes) => (bytes / 1048576).toFixed(bytes < 104857600 ? 1 : 0) + ' MiB';
const time = (iso) => iso ? new Date(iso).toISOString().slice(11, 19) : '—';
const badge = (s) => '<span class="badge s-' + esc(s) + '">' + esc(String(s).replace(/_/g, ' ')) + '</span>';
const ACTIONS = { drain: 'Drain', resume: 'Resume', shutdown: 'Shut down', 'pool.grow': 'Pool +', 'pool.shrink': 'Pool −', 'queue.add': 'Add consumer', 'queue.cancel': 'Cancel consumer', terminate: 'Terminate' };
const actionName = (a) => ACTIONS[a] ?? a;
/**
 * While a control waits for its worker the page reads again every 2 s (one timer): the live stream
 * signals the acknowledgement, and this shows it even when the signal was missed.
 */
let pendingTimer;
function recheckWhile(pending, load) {
  clearTimeout(pendingTimer);
  if (pending) pendingTimer = setTimeout(load, 2000);
}
/** A control's acknowledgement: when, and how long after the request; or that it waits. */
function ackHtml(c) {
  if (!c.acknowledged_at) return '<span class="badge s-draining" data-ack="pending">waiting for the worker</span>';
  const took = Date.parse(c.acknowledged_at) - Date.parse(c.requested_at);
  return '<span class="badge s-succeeded" data-ack="done">acknowledged</span> <span class="mono small">' + time(c.acknowledged_at) + '</span> <span class="muted small">(+' + dur(took) + ')</span>';
}
/** The latest control in one line (workers list). */
const controlLine = (c) => c ? '<div class="small control" data-control="' + esc(c.action) + '">' + esc(actionName(c.action)) + ' by ' + esc(c.requested_by) + ' ' + ageSpan(c.requested_at) + ' → ' + ackHtml(c) + '</div>' : '';
setInterval(() => {
  for (const el of document.querySelectorAll('[data-since]')) el.textContent = dur(since(el.dataset.since)) + (el.dataset.suffix ?? '');
}, 500);
function refresher(load) {
  let running = false, again = false;
  const run = async () => {
    if (running) { again = true; return; }
    running = true;
    try { await load(); const e = $('#error'); if (e) e.textContent = ''; }
    catch (err) { const e = $('#error'); if (e) e.textContent = 'Could not load: ' + err.message; }
    running = false;
    if (again) { again = false; run(); }
  };
  return run;
}
function live(topics, onSignal) {
  const indicator = $('#live');
  const set = (on, text) => { indicator.classList.toggle('on', on); indicator.lastElementChild.textContent = text; };
  const es = new EventSource(href('/api/events'));
  es.addEventListener('ready', () => { set(true, 'live'); onSignal('ready', null); });
  for (const t of topics) es.addEventListener(t, (e) => onSignal(t, JSON.parse(e.data || 'null')));
  es.onerror = () => set(false, 'reconnecting');
  return es;
}
`;
