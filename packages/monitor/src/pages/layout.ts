/**
 * The shell of every page: header with navigation and the live indicator (and the instance's name
 * and colour when configured), then the page's body and script.
 */
import { isDarkColor, type Appearance } from '@updraft/core/data';
import { STYLE } from './style.js';
import { CLIENT_COMMON } from './client-common.js';

export type PageName = 'workers' | 'queues' | 'tasks';

const LOGO = `<svg viewBox="0 0 24 24" fill="none" aria-hidden="true"><path d="M4 17c3-1 5-4 6-8 1 3 3 5 6 5-2 1-3 3-3 6" stroke="#2563eb" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/><circle cx="17" cy="6" r="2.5" fill="#60a5fa"/></svg>`;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderPage(o: { title: string; active: PageName; body: string; script: string; head?: string; look: Appearance }): string {
  const nav = (['workers', 'queues', 'tasks'] as const)
    .map((p) => `<a href="/${p}"${p === o.active ? ' class="active"' : ''}>${p[0]!.toUpperCase()}${p.slice(1)}</a>`).join('');
  const { instanceName, navbarColor } = o.look;
  const instance = instanceName === '' ? '' : `<span class="instance">${esc(instanceName)}</span>`;
  // navbarColor is a checked hex colour: safe in the attribute.
  const tint = navbarColor === '' ? '' : ` class="tint-${isDarkColor(navbarColor) ? 'dark' : 'light'}" style="background:${navbarColor}"`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)}${instanceName === '' ? '' : ` · ${esc(instanceName)}`} · Updraft monitor</title><style>${STYLE}</style>${o.head ?? ''}</head>
<body><header${tint}><a class="brand" href="/workers">${LOGO}Updraft monitor${instance}</a><nav>${nav}</nav>
<span class="live" id="live" title="live updates"><i></i><span>connecting</span></span></header>
<main>${o.body}</main>
<script>${CLIENT_COMMON}</script>
<script>${o.script}</script>
</body></html>`;
}
