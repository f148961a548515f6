import test from 'ava';
import { MemoryBarStore } from '../../storage/bars/memory-bar-store.js';
import { barStoreContract } from './bar-store-contract.js';

barStoreContract('MemoryBarStore', async () => ({ store: new MemoryBarStore(), cleanup: async () => {} }), { batchRead: true });

test('symbols() lists the symbols holding bars', async (t) => {
  const store = new MemoryBarStore();
  t.deepEqual(await store.symbols(), []);
  await store.putBars('MSFT', '5m', [{ t: 0, o: 1, h: 1, l: 1, c: 1, v: 1 }]);
  await store.putBars('AAPL', '1m', [{ t: 0, o: 1, h: 1, l: 1, c: 1, v: 1 }]);
  await store.putBars('AAPL', '5m', [{ t: 0, o: 1, h: 1, l: 1, c: 1, v: 1 }]);
  await store.putBars('TSLA', '1m', []);
  t.deepEqual(await store.symbols(), ['AAPL', 'MSFT']);
});

test('both stores answer getBarColumns, so sessions load them without an object per bar', async (t) => {
  const store = new MemoryBarStore();
  await store.putBars('AAPL', '1m', [{ t: 60_000, o: 1, h: 2, l: 0.5, c: 1.5, v: 10 }]);
  const columns = await store.getBarColumns('AAPL', '1m', 0, 120_000);
  t.is(columns.length, 1);
  t.is(columns.c[0], 1.5);
  t.is((await store.getBarColumns('MSFT', '1m', 0, 120_000)).length, 0);
});
