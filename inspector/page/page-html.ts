import { escapeXml } from '../diagram-svg.js';

export interface PageParts {
  title: string;
  sessionSvg: string;
  symbolSvg: string;
}

/** The inspector page: both statecharts inline, everything else filled in by the script from the event stream. */
export function pageHtml({ title, sessionSvg, symbolSvg }: PageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/inspector.css">
<script src="/inspector.js" defer></script>
</head>
<body>
<header class="top">
  <h1>tapedeck inspector</h1>
  <span class="meta" id="session-meta"></span>
  <span class="badge" id="session-state" data-state="">connecting…</span>
  <span class="clock">sim <b id="sim-clock">--:--:--</b> <span id="sim-zone"></span></span>
  <span class="clock meta">wall <span id="wall-clock">--:--:--</span></span>
  <span class="meta" id="pauses">pauses 0</span>
  <span id="conn">connecting</span>
</header>
<main>
  <div>
    <section class="panel">
      <h2>Session statechart <small id="last-transition"></small></h2>
      <div class="chart" id="session-chart">${sessionSvg}</div>
    </section>
    <section class="panel">
      <h2>Symbol actor <small id="symbol-focus">click a card to follow a symbol</small></h2>
      <div class="chart" id="symbol-chart">${symbolSvg}</div>
    </section>
  </div>
  <div>
    <section class="panel">
      <h2>Add or remove a symbol <small id="control-via"></small></h2>
      <form id="control-form" autocomplete="off">
        <input name="symbol" placeholder="TSLA" aria-label="symbol" required>
        <fieldset><legend>streams</legend>
          <label><input type="checkbox" name="streams" value="1m" checked>1m</label>
          <label><input type="checkbox" name="streams" value="5m">5m</label>
          <label><input type="checkbox" name="streams" value="15m">15m</label>
          <label><input type="checkbox" name="streams" value="30m">30m</label>
          <label><input type="checkbox" name="streams" value="1h">1h</label>
        </fieldset>
        <label><input type="checkbox" name="immediate">remove immediately</label>
        <button type="submit" class="primary" name="action" value="add">Add</button>
        <button type="submit" name="action" value="remove">Remove</button>
      </form>
      <p id="control-result" role="status"></p>
    </section>
    <section class="panel">
      <h2>Symbols</h2>
      <div id="cards"></div>
    </section>
    <section class="panel">
      <h2>Events <small id="log-skipped"></small></h2>
      <div id="log-wrap">
        <table id="log">
          <colgroup><col class="time"><col class="sim"><col class="actor"><col class="event"><col></colgroup>
          <thead><tr><th>wall</th><th>sim</th><th>actor</th><th>event</th><th>detail</th></tr></thead>
          <tbody></tbody>
        </table>
      </div>
    </section>
  </div>
</main>
</body>
</html>
`;
}
