import test from 'ava';
import { createSessionData } from '../../data-plane/session-data.js';
import { BarColumns } from '../../data-plane/bar-columns.js';

function filled() {
  const writer = createSessionData();
  const series = writer.addSymbol('AAPL', ['1m', '5m'], () => 4);
  for (let i = 0; i < 10; i++) series.get('1m')!.append(i * 60_000, i, i + 1, i - 1, i, 100);
  series.get('5m')!.append(0, 0, 5, -1, 4, 500);
  return writer;
}

test('reads return the bars while the session is active', (t) => {
  const { data } = filled();
  t.true(data.isActive);
  t.deepEqual(data.getLatestBar('AAPL'), { t: 540_000, o: 9, h: 10, l: 8, c: 9, v: 100 });
  t.deepEqual(data.getLastNBars('AAPL', 3).map((b) => b.c), [7, 8, 9]);
  t.deepEqual(data.getBarsSince('AAPL', 480_000).map((b) => b.t), [480_000, 540_000]);
  t.is(data.getBarCount('AAPL'), 10);
  t.is(data.getBarCount('AAPL', '5m'), 1);
  t.deepEqual(data.getActiveSymbols(), ['AAPL']);
  const all = data.getSymbolData('AAPL');
  t.deepEqual(all?.streams, ['1m', '5m']);
  t.is(all?.bars['1m']?.length, 10);
  t.deepEqual(all?.bars['5m'], [{ t: 0, o: 0, h: 5, l: -1, c: 4, v: 500 }]);
});

test('every read is empty while the session is deactivated, and back after', (t) => {
  const writer = filled();
  const { data } = writer;
  writer.setVisible(false);
  t.false(data.isActive);
  t.is(data.getLatestBar('AAPL'), undefined);
  t.deepEqual(data.getLastNBars('AAPL', 3), []);
  t.deepEqual(data.getBarsSince('AAPL', 0), []);
  t.is(data.getBarCount('AAPL'), 0);
  t.deepEqual(data.getActiveSymbols(), []);
  t.is(data.getSymbolData('AAPL'), undefined);
  writer.setVisible(true);
  t.is(data.getBarCount('AAPL'), 10);
});

test('the writer keeps writing while reads are hidden', (t) => {
  const writer = filled();
  writer.setVisible(false);
  writer.addSymbol('MSFT', ['1m'], () => 1).get('1m')!.append(0, 1, 1, 1, 1, 1);
  t.is(writer.data.getBarCount('MSFT'), 0);
  writer.setVisible(true);
  t.is(writer.data.getBarCount('MSFT'), 1);
});

test('unknown symbols and intervals read as empty, and n <= 0 gives no bars', (t) => {
  const { data } = filled();
  t.is(data.getLatestBar('NOPE'), undefined);
  t.is(data.getBarCount('AAPL', '1h'), 0);
  t.deepEqual(data.getLastNBars('AAPL', 0), []);
  t.deepEqual(data.getLastNBars('AAPL', -2), []);
});

test('removing a symbol drops its data', (t) => {
  const writer = filled();
  writer.removeSymbol('AAPL');
  t.deepEqual(writer.data.getActiveSymbols(), []);
  t.is(writer.data.getBarCount('AAPL'), 0);
});

test('a recycled series comes back empty to the next symbol asking for its size; other sizes are allocated', (t) => {
  const writer = createSessionData();
  const sizes = (interval: string) => ({ '1m': 8, '5m': 4 })[interval] ?? 2;
  const before = writer.addSymbol('AAPL', ['1m', '5m'], sizes);
  for (let i = 0; i < 3; i++) before.get('1m')!.append(i * 60_000, i, i + 1, i - 1, i, 100);
  before.get('5m')!.append(0, 0, 5, -1, 4, 500);
  const [old, old5m] = [before.get('1m')!, before.get('5m')!];
  writer.clear();
  writer.recycle([old5m, old]);
  const series = writer.addSymbol('MSFT', ['1m', '5m', '15m'], sizes);
  t.is(series.get('1m'), old);
  t.is(series.get('5m'), old5m);
  t.is(writer.data.getBarCount('MSFT'), 0);
  t.deepEqual(writer.data.getLastNBars('MSFT', 5), []);
  t.not(series.get('15m'), old);
  t.is(series.get('15m')!.capacity, 2);
  series.get('1m')!.append(0, 1, 1, 1, 1, 1);
  t.deepEqual(writer.data.getLatestBar('MSFT'), { t: 0, o: 1, h: 1, l: 1, c: 1, v: 1 });
  t.not(writer.addSymbol('IBM', ['1m'], sizes).get('1m'), old, 'a series is handed out once');
});

test('a borrowed series reads the given bars as they are and is never handed out again', (t) => {
  const writer = createSessionData();
  const day = new BarColumns(3);
  for (let i = 0; i < 3; i++) day.append(i * 60_000, i, i + 1, i - 1, i, 100);
  const series = writer.addSymbol('AAPL', ['1m', '5m'], () => 3, { interval: '1m', bars: day });
  const borrowed = series.get('1m')!;
  t.is(borrowed.t, day.t, 'no copy');
  t.false(series.get('5m')!.isBorrowed);
  borrowed.reveal(2);
  t.is(writer.data.getBarCount('AAPL'), 2);
  writer.clear();
  writer.recycle([borrowed]);
  t.not(writer.addSymbol('MSFT', ['1m'], () => borrowed.capacity).get('1m'), borrowed);
});
