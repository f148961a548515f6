// The inspector page's stylesheet. System fonts only: the page must work with no network.
export const PAGE_STYLE = String.raw`
:root {
  --bg: #f3f5f9; --panel: #fff; --ink: #1f2937; --muted: #6b7280; --line: #dde2ea;
  --queued: #868e96; --loading: #e8890c; --catchingUp: #1c7ed6; --active: #2f9e44;
  --draining: #7048e8; --removed: #495057; --failed: #e03131; --last: #d9480f;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
header.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px 18px; padding: 10px 16px;
  background: #1f2937; color: #f8fafc; position: sticky; top: 0; z-index: 2;
}
header.top h1 { font-size: 15px; margin: 0; font-weight: 650; letter-spacing: .02em; }
header.top .meta { color: #cbd5e1; }
header.top .clock { font-variant-numeric: tabular-nums; }
header.top .clock b { font-size: 16px; color: #fff; }
#conn { margin-left: auto; font-size: 12px; }
#conn::before { content: "●"; margin-right: 4px; color: #f59f00; }
#conn.live::before { color: #51cf66; }
#conn.down::before { color: #ff6b6b; }
.badge {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-weight: 600; font-size: 12px;
  background: #e9ecef; color: #212529; white-space: nowrap;
}
#session-state { font-size: 14px; background: #2f9e44; color: #fff; }
#session-state[data-state="paused"], #session-state[data-state="catchingUp"], #session-state[data-state="reactivating"] { background: #e8890c; }
#session-state[data-state="closed"], #session-state[data-state="closing"], #session-state[data-state="idle"] { background: #495057; }
main { display: grid; grid-template-columns: minmax(0, 1.15fr) minmax(380px, 1fr); gap: 14px; padding: 14px 16px; align-items: start; }
@media (max-width: 1100px) { main { grid-template-columns: minmax(0, 1fr); } }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; margin-bottom: 14px; }
section.panel > h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 8px; display: flex; gap: 8px; align-items: baseline; }
section.panel > h2 small { text-transform: none; letter-spacing: 0; font-weight: 400; }
.chart { overflow: auto; }
.chart svg { display: block; margin: 0 auto; max-width: 100%; height: auto; }
.statechart .state.active:not(.compound) > .state-box { fill: #e7f5ec; stroke: #2f9e44; stroke-width: 2.4; }
.statechart .state.compound.active:not(.machine) > .state-box { stroke: #2f9e44; stroke-width: 1.8; }
.statechart .state.active > .state-name { fill: #1b6b30; }
.statechart .transition.last .edge-label { fill: var(--last); font-weight: 700; }
.statechart .transition.last .edge-label-box { fill: #fff4e6; }
.statechart .state-line.last { fill: var(--last); font-weight: 700; }
.statechart .transition.last .edge-line { animation: pulse 1s ease-out; }
@keyframes pulse { from { stroke-width: 7; } to { stroke-width: 2.4; } }
form#control-form { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
form#control-form input[name="symbol"] { width: 110px; padding: 5px 8px; font: inherit; text-transform: uppercase; border: 1px solid #adb5bd; border-radius: 6px; }
form#control-form fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: 6px; align-items: center; }
form#control-form legend { float: left; margin-right: 4px; color: var(--muted); }
button { font: inherit; padding: 4px 12px; border-radius: 6px; border: 1px solid #adb5bd; background: #f8f9fa; cursor: pointer; }
button.primary { background: #1c7ed6; border-color: #1c7ed6; color: #fff; }
button:disabled { opacity: .5; cursor: default; }
#control-result { margin: 8px 0 0; min-height: 1.4em; color: var(--muted); }
#control-result.ok { color: #2b8a3e; }
#control-result.error { color: var(--failed); }
#control-result code { font-weight: 700; }
#cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px; }
#cards:empty::before { content: "No symbols yet."; color: var(--muted); }
.card { border: 1px solid var(--line); border-left: 4px solid var(--queued); border-radius: 8px; padding: 8px 10px; cursor: pointer; background: #fff; }
.card.focused { box-shadow: 0 0 0 2px #a5d8ff; }
.card header { display: flex; align-items: center; gap: 6px; }
.card header strong { font-size: 15px; }
.card header .origin { color: var(--muted); font-size: 11px; }
.card header button { margin-left: auto; padding: 0 8px; font-size: 11px; }
.card .status { color: #fff; background: var(--queued); }
.card[data-status="loading"] { border-left-color: var(--loading); } .card[data-status="loading"] .status { background: var(--loading); }
.card[data-status="catchingUp"] { border-left-color: var(--catchingUp); } .card[data-status="catchingUp"] .status { background: var(--catchingUp); }
.card[data-status="active"] { border-left-color: var(--active); } .card[data-status="active"] .status { background: var(--active); }
.card[data-status="draining"] { border-left-color: var(--draining); } .card[data-status="draining"] .status { background: var(--draining); }
.card[data-status="removed"] { border-left-color: var(--removed); opacity: .8; } .card[data-status="removed"] .status { background: var(--removed); }
.card[data-status="failed"] { border-left-color: var(--failed); } .card[data-status="failed"] .status { background: var(--failed); }
.card .trail { font-size: 11px; color: var(--muted); margin: 3px 0; }
.card .price { display: flex; align-items: center; gap: 8px; }
.card .price svg { width: 150px; height: 34px; background: #f8f9fa; border-radius: 4px; }
.card .price polyline { fill: none; stroke: #1c7ed6; stroke-width: 1.4; vector-effect: non-scaling-stroke; }
.card .price .last-close { font-variant-numeric: tabular-nums; font-weight: 600; }
.card .price .interval { color: var(--muted); font-size: 11px; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; margin: 6px 0 0; font-size: 12px; }
.card dt { color: var(--muted); }
.card dd { margin: 0; font-variant-numeric: tabular-nums; }
.card .error { color: var(--failed); font-size: 12px; margin: 6px 0 0; }
.card .streams { color: var(--muted); font-size: 11px; margin-top: 4px; }
#log-wrap { max-height: 40vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
table#log { width: 100%; table-layout: fixed; border-collapse: collapse; font: 11px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
table#log col.time { width: 100px; } table#log col.sim { width: 72px; } table#log col.actor { width: 64px; } table#log col.event { width: 34%; }
table#log th { position: sticky; top: 0; background: #f1f3f5; text-align: left; font-weight: 600; }
table#log td, table#log th { padding: 2px 6px; border-bottom: 1px solid #f1f3f5; overflow-wrap: anywhere; vertical-align: top; }
table#log td.detail { color: var(--muted); }
table#log tr.state td { background: #fff9db; }
table#log .count { color: var(--last); font-weight: 700; }
#log-skipped { color: var(--muted); font-size: 11px; }
`;
