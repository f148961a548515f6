import test from 'ava';
import { detectLayout } from '../../storage/import/csv-header.js';

test('a header seen before is not searched again, and --columns names or another header find their own layout', (t) => {
  const header = ['Date', 'Time', 'Open', 'High', 'Low', 'Close', 'Vol.'];
  const layout = detectLayout(header);
  t.is(detectLayout([...header]), layout, 'the same layout object for an equal header');
  t.deepEqual(layout, { time: 1, date: 0, open: 2, high: 3, low: 4, close: 5, volume: 6, columns: 7, headerless: false });
  t.deepEqual(detectLayout(header, { volume: 'Close' }), { time: 1, date: 0, open: 2, high: 3, low: 4, close: 5, volume: 5, columns: 7, headerless: false });
  // Fields that join into the same text are still told apart.
  t.not(detectLayout(['timestamp,open', 'high', 'low', 'close', 'volume']), detectLayout(['timestamp', 'open', 'high', 'low', 'close', 'volume']));
  t.regex(String(detectLayout(['timestamp,open', 'high', 'low', 'close', 'volume'])), /no a time column .*open \(open\/o\)/);
});
