// The inspector page's script, served as /inspector.js. Plain browser JavaScript kept in a
// string so that the package ships it without a bundler and it is found from source and dist
// alike. It holds no template placeholders: everything comes from the event stream.
export const PAGE_SCRIPT = String.raw`
'use strict';
(() => {
  const MAX_LOG_ROWS = 500;
  const $ = (selector, root) => (root || document).querySelector(selector);
  const sessionSvg = $('#session-chart svg');
  const symbolSvg = $('#symbol-chart svg');
  const cards = $('#cards');
  const logBody = $('#log tbody');
  const logWrap = $('#log-wrap');
  const view = { timeZone: 'UTC', cards: new Map(), charts: new Map(), focus: null, pinned: false, marks: new Map(), skipped: 0 };
  let simFormat = null;
  const wallFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const simTime = (ms) => (simFormat ? simFormat.format(ms) : new Date(ms).toISOString().slice(11, 19));
  const wallTime = (ms) => wallFormat.format(ms) + '.' + String(ms % 1000).padStart(3, '0');
  const ms = (n) => (n >= 1000 ? (n / 1000).toFixed(2) + ' s' : n.toFixed(1) + ' ms');
  const counts = (byInterval) => {
    const parts = Object.entries(byInterval || {}).map(([interval, n]) => interval + ' ' + n);
    return parts.length ? parts.join(' · ') : '0';
  };

  // ---- statecharts ----
  function setActive(svg, ids) {
    const active = new Set(ids);
    for (const node of svg.querySelectorAll('[data-state]')) node.classList.toggle('active', active.has(node.dataset.state));
  }
  // restart: the transitions were just taken (again), so their highlight pulses even if unchanged.
  function markEdges(svg, edges, restart) {
    const key = edges.join(' ');
    if (!restart && svg.dataset.marked === key) return;
    svg.dataset.marked = key;
    for (const node of svg.querySelectorAll('.last')) node.classList.remove('last');
    for (const id of edges) {
      for (const node of svg.querySelectorAll('[data-edge="' + CSS.escape(id) + '"]')) {
        // Re-adding the class after a reflow restarts the pulse for a transition taken again.
        void node.getBoundingClientRect();
        node.classList.add('last');
      }
    }
  }
  function edgeText(svg, edges) {
    const id = edges[edges.length - 1];
    if (id === undefined) return '';
    const node = svg.querySelector('[data-edge="' + CSS.escape(id) + '"]');
    if (!node) return id;
    const from = node.dataset.source.split('.').pop();
    const to = node.dataset.target.split('.').pop();
    return 'last: ' + node.dataset.label + ' (' + (from === to ? 'in ' + from : from + ' → ' + to) + ')';
  }
  function showSymbolChart() {
    const card = view.focus && view.cards.get(view.focus);
    $('#symbol-focus').textContent = card ? 'showing ' + view.focus + (view.pinned ? ' (pinned)' : ' (latest change)') : 'click a card to follow a symbol';
    setActive(symbolSvg, card ? ['symbol', 'symbol.' + card.dataset.status] : []);
    markEdges(symbolSvg, (card && view.marks.get(view.focus)) || [], false);
    for (const other of view.cards.values()) other.classList.toggle('focused', other === card);
  }
  function focus(symbol, pin) {
    if (view.pinned && !pin) return;
    if (pin) view.pinned = !(view.pinned && view.focus === symbol);
    view.focus = symbol;
    showSymbolChart();
  }

  // ---- symbol cards ----
  function card(symbol) {
    let node = view.cards.get(symbol);
    if (node) return node;
    node = el('article', 'card');
    node.dataset.symbol = symbol;
    node.dataset.status = '';
    const head = el('header');
    const remove = el('button', 'remove', 'remove');
    remove.type = 'button';
    remove.title = 'remove ' + symbol + ' through the control API';
    remove.addEventListener('click', (event) => {
      event.stopPropagation();
      removeSymbol(symbol);
    });
    head.append(el('strong', '', symbol), el('span', 'badge status', '…'), el('span', 'origin'), remove);
    const price = el('div', 'price');
    price.innerHTML = '<svg viewBox="0 0 100 30" preserveAspectRatio="none"><polyline points=""/></svg>';
    price.append(el('span', 'last-close', '—'), el('span', 'interval'));
    const counters = el('dl');
    for (const [key, label] of [['loaded', 'loaded'], ['dropped', 'dropped'], ['caughtUp', 'caught up'], ['streamed', 'streamed']]) {
      counters.append(el('dt', '', label), el('dd', 'c-' + key, '0'));
    }
    node.append(head, el('div', 'trail'), price, counters, el('p', 'error'), el('div', 'streams'));
    node.addEventListener('click', () => focus(symbol, true));
    node.trail = [];
    view.cards.set(symbol, node);
    cards.append(node);
    return node;
  }
  function setStatus(node, status, error) {
    if (node.dataset.status !== status) {
      node.dataset.status = status;
      node.trail.push(status);
      $('.status', node).textContent = status;
      $('.trail', node).textContent = node.trail.slice(-8).join(' → ');
    }
    if (error) $('.error', node).textContent = error.code + ': ' + error.message;
  }
  function fillCard(info) {
    const node = card(info.symbol);
    setStatus(node, info.status, info.error);
    $('.origin', node).textContent = info.origin;
    $('.c-loaded', node).textContent = String(info.loaded);
    $('.c-dropped', node).textContent = String(info.dropped);
    $('.c-caughtUp', node).textContent = counts(info.caughtUp);
    $('.c-streamed', node).textContent = counts(info.streamed);
    $('.streams', node).textContent = 'streams ' + info.streams.join(', ') + ' · added ' + simTime(info.addedAt.sim) + ' sim';
    if (!info.error) $('.error', node).textContent = '';
  }
  function drawChart(symbol) {
    const chart = view.charts.get(symbol);
    const node = view.cards.get(symbol);
    if (!chart || !node) return;
    const closes = chart.closes;
    const low = Math.min(...closes);
    const high = Math.max(...closes);
    const span = high - low || 1;
    const step = closes.length > 1 ? 100 / (closes.length - 1) : 0;
    const points = closes.map((c, i) => (i * step).toFixed(2) + ',' + (28 - ((c - low) / span) * 26).toFixed(2));
    $('polyline', node).setAttribute('points', points.join(' '));
    $('.last-close', node).textContent = closes.length ? closes[closes.length - 1].toFixed(2) : '—';
    $('.interval', node).textContent = closes.length + ' × ' + chart.interval;
  }

  // ---- event log ----
  function addLog(entries) {
    const atBottom = logWrap.scrollTop + logWrap.clientHeight >= logWrap.scrollHeight - 8;
    for (const entry of entries) {
      const row = el('tr', entry.actor === 'state' ? 'state' : '');
      const event = el('td', '', entry.event);
      if (entry.count > 1) event.append(' ', el('span', 'count', '×' + entry.count));
      const detail = [entry.detail, entry.from ? 'from ' + entry.from : ''].filter(Boolean).join(' · ');
      row.append(el('td', '', wallTime(entry.wall)), el('td', '', simTime(entry.sim)), el('td', '', entry.actor), event, el('td', 'detail', detail));
      logBody.append(row);
    }
    while (logBody.rows.length > MAX_LOG_ROWS) logBody.deleteRow(0);
    if (atBottom) logWrap.scrollTop = logWrap.scrollHeight;
  }

  // ---- header ----
  function showClock(message) {
    $('#sim-clock').textContent = simTime(message.clock);
    $('#wall-clock').textContent = wallFormat.format(message.wall);
  }
  function showState(state) {
    const badge = $('#session-state');
    badge.textContent = state.leaf;
    badge.dataset.state = state.leaf;
    setActive(sessionSvg, state.active);
  }
  function showPauses(p) {
    let text = 'pauses ' + p.count;
    if (p.count > 0) text += ' · total ' + ms(p.totalMs) + ' · max ' + ms(p.maxMs) + (p.lastMs === undefined ? '' : ' · last ' + ms(p.lastMs));
    if (p.open) text += ' · paused now (' + p.open.reason + (p.open.symbols.length ? ': ' + p.open.symbols.join(', ') : '') + ')';
    $('#pauses').textContent = text;
  }

  // ---- the stream ----
  function onInit(message) {
    view.timeZone = message.session.timeZone;
    simFormat = new Intl.DateTimeFormat('en-GB', { timeZone: view.timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    $('#session-meta').textContent = message.session.date + ' · ' + message.session.calendar + ' · ' + message.session.mode;
    $('#sim-zone').textContent = view.timeZone;
    $('#control-via').textContent = message.control === 'control-server' ? 'through the control API' : 'through the control routes in this process';
    document.title = 'tapedeck · ' + message.session.date;
    cards.replaceChildren();
    view.cards.clear();
    view.charts.clear();
    for (const info of message.symbols) fillCard(info);
    showClock(message);
    showState(message.state);
    showPauses(message.pauses);
    showSymbolChart();
  }
  function onUpdate(message) {
    showClock(message);
    if (message.state) showState(message.state);
    for (const step of message.steps || []) {
      setStatus(card(step.symbol), step.status, step.error);
      focus(step.symbol, false);
    }
    for (const info of message.symbols || []) fillCard(info);
    for (const mark of message.transitions || []) {
      if (mark.machine === 'session') {
        markEdges(sessionSvg, mark.edges, true);
        $('#last-transition').textContent = edgeText(sessionSvg, mark.edges);
      } else {
        view.marks.set(mark.symbol, mark.edges);
        if (mark.symbol === view.focus) markEdges(symbolSvg, mark.edges, true);
      }
    }
    for (const chart of message.charts || []) {
      const current = view.charts.get(chart.symbol);
      const closes = current && chart.from > 0 ? current.closes.slice(0, chart.from) : [];
      view.charts.set(chart.symbol, { interval: chart.interval, closes: closes.concat(chart.closes) });
      drawChart(chart.symbol);
    }
    if (message.log) addLog(message.log);
    if (message.skipped) {
      view.skipped += message.skipped;
      $('#log-skipped').textContent = view.skipped + ' events not shown (too many to list)';
    }
    if (message.pauses) showPauses(message.pauses);
    showSymbolChart();
  }

  const conn = $('#conn');
  const source = new EventSource('/events');
  source.addEventListener('init', (event) => onInit(JSON.parse(event.data)));
  source.addEventListener('update', (event) => onUpdate(JSON.parse(event.data)));
  source.addEventListener('open', () => {
    conn.textContent = 'live';
    conn.className = 'live';
  });
  source.addEventListener('error', () => {
    conn.textContent = source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…';
    conn.className = 'down';
  });

  // ---- add / remove, through the control API's routes ----
  const form = $('#control-form');
  const result = $('#control-result');
  async function control(method, path, body) {
    const response = await fetch('/control' + path, {
      method,
      headers: Object.assign({ 'x-tapedeck-inspector': '1' }, body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({ error: { code: 'BAD_RESPONSE', message: 'HTTP ' + response.status } }));
    return { ok: response.ok, json };
  }
  function report(answer, what) {
    result.className = answer.ok ? 'ok' : 'error';
    result.replaceChildren();
    if (answer.ok) result.textContent = what + ': ' + answer.json.status;
    else result.append(el('code', '', answer.json.error.code), ' ' + answer.json.error.message);
  }
  function failed(error) {
    result.className = 'error';
    result.textContent = 'The inspector did not answer: ' + error.message;
  }
  function removeSymbol(symbol) {
    const immediate = form.elements.immediate.checked;
    control('DELETE', '/v1/symbols/' + encodeURIComponent(symbol) + '?immediate=' + immediate)
      .then((answer) => report(answer, 'remove ' + symbol), failed);
  }
  form.elements.symbol.addEventListener('input', () => {
    form.elements.symbol.value = form.elements.symbol.value.toUpperCase();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const symbol = form.elements.symbol.value.trim();
    if (event.submitter && event.submitter.value === 'remove') return removeSymbol(symbol);
    const streams = [...form.querySelectorAll('input[name="streams"]:checked')].map((box) => box.value);
    control('POST', '/v1/symbols', { symbol, streams }).then((answer) => report(answer, 'add ' + symbol), failed);
  });
})();
`;
