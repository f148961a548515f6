/**
 * The script `report.html` runs in the browser: it reads the embedded JSON and draws the charts
 * with lightweight-charts (inlined before it). Plain ES2020, no imports: the page opens offline.
 */
export const REPORT_PAGE_SCRIPT = `
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const { createChart, LineSeries, AreaSeries, CandlestickSeries, createSeriesMarkers } = LightweightCharts;
  const zone = data.timeZone;
  const dayTime = new Intl.DateTimeFormat('en-US', { timeZone: zone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat('en-US', { timeZone: zone, month: 'short', day: 'numeric' });
  const time = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const options = {
    autoSize: true,
    layout: { background: { color: '#ffffff' }, textColor: '#1f2328', fontSize: 11 },
    grid: { vertLines: { color: '#eef1f4' }, horzLines: { color: '#eef1f4' } },
    // Exchange time on the axis and the crosshair, whatever the viewer's time zone.
    localization: { timeFormatter: (t) => dayTime.format(t * 1000) },
    timeScale: {
      timeVisible: true,
      tickMarkFormatter: (t, type) => (type < 3 ? day : time).format(t * 1000),
    },
  };
  const seconds = (ms) => Math.floor(ms / 1000);

  const equityChart = createChart(document.getElementById('equity-chart'), options);
  const equity = equityChart.addSeries(LineSeries, { color: '#0969da', lineWidth: 2, title: 'equity' });
  equity.setData(data.equity.map(([t, value]) => ({ time: seconds(t), value })));
  let peak = -Infinity;
  const drawdown = equityChart.addSeries(
    AreaSeries,
    { lineColor: '#cf222e', topColor: 'rgba(207, 34, 46, 0.05)', bottomColor: 'rgba(207, 34, 46, 0.35)', lineWidth: 1, title: 'drawdown %', invertFilledArea: false },
    1,
  );
  drawdown.setData(data.equity.map(([t, value]) => {
    peak = Math.max(peak, value);
    return { time: seconds(t), value: (value / peak - 1) * 100 };
  }));
  equityChart.panes()[1]?.setHeight(120);
  equityChart.timeScale().fitContent();

  const holder = document.getElementById('candle-charts');
  for (const [symbol, bars] of Object.entries(data.candles)) {
    const box = document.createElement('div');
    box.className = 'symbol';
    const fills = data.fills[symbol] || [];
    const heading = document.createElement('h3');
    heading.textContent = symbol + ' · ' + fills.length + (fills.length === 1 ? ' fill marked' : ' fills marked') + ' (fills.csv lists every fill)';
    const area = document.createElement('div');
    area.className = 'chart';
    area.dataset.symbol = symbol;
    box.append(heading, area);
    holder.append(box);
    const chart = createChart(area, options);
    const candles = chart.addSeries(CandlestickSeries, { upColor: '#1a7f37', downColor: '#cf222e', borderVisible: false, wickUpColor: '#1a7f37', wickDownColor: '#cf222e' });
    candles.setData(bars.map((b) => ({ time: seconds(b.t), open: b.o, high: b.h, low: b.l, close: b.c })));
    createSeriesMarkers(candles, fills.map(([t, side]) => side === 'buy'
      ? { time: seconds(t), position: 'belowBar', color: '#0969da', shape: 'arrowUp', text: 'B' }
      : { time: seconds(t), position: 'aboveBar', color: '#8250df', shape: 'arrowDown', text: 'S' }));
    chart.timeScale().fitContent();
  }
})();
`;
