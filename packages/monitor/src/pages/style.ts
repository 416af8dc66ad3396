/** The pages' stylesheet: system fonts, light or dark by the system, no external assets. */
export const STYLE = `
:root { color-scheme: light dark; --bg: #f6f7f9; --panel: #fff; --text: #1b1f24; --muted: #5f6b7a; --line: #e3e6ea;
  --accent: #2563eb; --ok: #15803d; --ok-bg: #dcfce7; --warn: #b45309; --warn-bg: #fef3c7; --bad: #b91c1c; --bad-bg: #fee2e2;
  --info: #1d4ed8; --info-bg: #dbeafe; --off: #6b7280; --off-bg: #eceef1; --bar: #2563eb; --bar-bg: #e5e9f0; }
@media (prefers-color-scheme: dark) { :root { --bg: #0f1217; --panel: #171b22; --text: #e6e9ee; --muted: #9aa5b4; --line: #262c36;
  --accent: #60a5fa; --ok: #4ade80; --ok-bg: #12301d; --warn: #fbbf24; --warn-bg: #3a2a0b; --bad: #f87171; --bad-bg: #3b1414;
  --info: #93c5fd; --info-bg: #15264a; --off: #9ca3af; --off-bg: #262a31; --bar: #60a5fa; --bar-bg: #262c36; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
header { display: flex; align-items: center; gap: 28px; padding: 0 24px; height: 52px; background: var(--panel); border-bottom: 1px solid var(--line); }
header .brand { display: flex; align-items: center; gap: 8px; font-weight: 650; font-size: 15px; color: var(--text); }
header .brand svg { width: 22px; height: 22px; }
header nav { display: flex; gap: 4px; height: 100%; }
header nav a { display: flex; align-items: center; padding: 0 12px; color: var(--muted); border-bottom: 2px solid transparent; font-weight: 500; }
header nav a.active { color: var(--text); border-bottom-color: var(--accent); }
header nav a:hover { text-decoration: none; color: var(--text); }
header .live { margin-left: auto; font-size: 12px; color: var(--muted); display: flex; align-items: center; gap: 6px; }
header .live i { width: 8px; height: 8px; border-radius: 50%; background: var(--off); display: inline-block; }
header .live.on i { background: var(--ok); box-shadow: 0 0 0 3px var(--ok-bg); }
header .instance { padding: 1px 8px; border: 1px solid currentColor; border-radius: 4px; font-size: 13px; font-weight: 600; white-space: nowrap; }
header.tint-dark { --text: #fff; --muted: rgba(255, 255, 255, 0.8); --accent: #fff; border-bottom-color: transparent; }
header.tint-light { --text: #000; --muted: rgba(0, 0, 0, 0.7); --accent: #000; border-bottom-color: transparent; }
main { padding: 20px 24px 40px; max-width: 1440px; }
h1 { font-size: 20px; margin: 0 0 4px; font-weight: 650; } h2 { font-size: 15px; margin: 24px 0 10px; font-weight: 600; }
.sub { color: var(--muted); margin-bottom: 16px; }
.toolbar { display: flex; gap: 12px; align-items: center; margin: 0 0 12px; flex-wrap: wrap; }
.toolbar input[type=search], .toolbar input:not([type]) { width: 420px; max-width: 100%; padding: 7px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--text); font: inherit; }
.toolbar.small input:not([type]) { width: 160px; padding: 5px 8px; }
.toolbar label { color: var(--muted); display: flex; gap: 6px; align-items: center; }
.summary { display: flex; gap: 12px; margin-bottom: 16px; flex-wrap: wrap; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 150px; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .v { font-size: 22px; font-weight: 600; margin-top: 2px; font-variant-numeric: tabular-nums; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; overflow: auto; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-weight: 600; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; padding: 9px 12px; border-bottom: 1px solid var(--line); white-space: nowrap; background: var(--panel); position: sticky; top: 0; }
td { padding: 9px 12px; border-bottom: 1px solid var(--line); vertical-align: top; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: 0; }
tr.fresh td { animation: fresh 2s ease-out; }
@keyframes fresh { from { background: var(--info-bg); } to { background: transparent; } }
.muted { color: var(--muted); } .small { font-size: 12px; } .nowrap { white-space: nowrap; } .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.s-online, .s-succeeded, .s-started { color: var(--ok); background: var(--ok-bg); }
.s-busy, .s-up_for_retry, .s-requeued { color: var(--warn); background: var(--warn-bg); }
.s-draining, .s-paused, .s-queued { color: var(--info); background: var(--info-bg); }
.s-offline, .s-failed, .s-zombie, .s-killed { color: var(--bad); background: var(--bad-bg); }
.s-deregistered { color: var(--off); background: var(--off-bg); }
.reason { font-size: 12px; color: var(--muted); margin-top: 3px; max-width: 320px; }
.reason.bad { color: var(--bad); }
.chip { display: inline-block; padding: 0 6px; margin: 0 4px 2px 0; border: 1px solid var(--line); border-radius: 4px; font-size: 12px; }
.chip-x { border: 0; background: none; color: var(--muted, #8a94a3); cursor: pointer; padding: 0 0 0 4px; font-size: 12px; }
.slots { min-width: 120px; } .bar { height: 6px; background: var(--bar-bg); border-radius: 3px; overflow: hidden; margin-top: 4px; }
.bar > span { display: block; height: 100%; background: var(--bar); }
.counts { white-space: nowrap; font-size: 12.5px; } .counts b { font-weight: 600; } .ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); }
.empty { padding: 28px; text-align: center; color: var(--muted); }
.error { color: var(--bad); margin: 8px 0; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; } @media (max-width: 1000px) { .grid2 { grid-template-columns: 1fr; } }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; padding: 14px 16px; } dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; }
.chart { padding: 10px 12px; } .chart h3 { margin: 0 0 6px; font-size: 13px; font-weight: 600; }
button.action { font: inherit; font-weight: 600; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--bad); color: var(--bad); background: var(--panel); cursor: pointer; }
button.action:hover { background: var(--bad-bg); }
button.action.neutral { border-color: var(--line); color: var(--text); } button.action.neutral:hover { background: var(--bg); }
.seg a { padding: 3px 10px; border: 1px solid var(--line); border-radius: 6px; margin-left: 4px; color: var(--muted); } .seg a.on { color: var(--text); border-color: var(--accent); }
`;
