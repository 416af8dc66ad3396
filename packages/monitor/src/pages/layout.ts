/** The shell of every page: header with navigation and the live indicator, then the page's body and script. */
import { STYLE } from './style.js';
import { CLIENT_COMMON } from './client-common.js';

export type PageName = 'workers' | 'queues' | 'tasks';

const LOGO = `<svg viewBox="0 0 24 24" fill="none" aria-hidden="true"><path d="M4 17c3-1 5-4 6-8 1 3 3 5 6 5-2 1-3 3-3 6" stroke="#2563eb" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/><circle cx="17" cy="6" r="2.5" fill="#60a5fa"/></svg>`;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderPage(o: { title: string; active: PageName; body: string; script: string; head?: string }): string {
  const nav = (['workers', 'queues', 'tasks'] as const)
    .map((p) => `<a href="/${p}"${p === o.active ? ' class="active"' : ''}>${p[0]!.toUpperCase()}${p.slice(1)}</a>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)} · Updraft monitor</title><style>${STYLE}</style>${o.head ?? ''}</head>
<body><header><a class="brand" href="/workers">${LOGO}Updraft monitor</a><nav>${nav}</nav>
<span class="live" id="live" title="live updates"><i></i><span>connecting</span></span></header>
<main>${o.body}</main>
<script>${CLIENT_COMMON}</script>
<script>${o.script}</script>
</body></html>`;
}
