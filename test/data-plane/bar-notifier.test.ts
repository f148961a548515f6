import test from 'ava';
import { BarNotifier } from '../../data-plane/bar-notifier.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import type { StreamBar } from '../../model/bar.js';

const bar = (t: number): StreamBar => ({ symbol: 'AAPL', interval: '1m', t, o: 1, h: 1, l: 1, c: 1, v: 1 });
/** A bar is published by its place in a series: here the last of a series holding it. */
const publish = (notifier: BarNotifier, { symbol, interval, t, o, h, l, c, v }: StreamBar, updated = false) => {
  const series = new BarColumns(2);
  series.append(0, 0, 0, 0, 0, 0);
  series.append(t, o, h, l, c, v);
  notifier.publish(symbol, interval, series, 1, updated);
};

test('starts delivering, with nothing dropped', (t) => {
  const notifier = new BarNotifier(() => t.fail());
  const seen: number[] = [];
  notifier.subscribe((b) => seen.push(b.t));
  t.false(notifier.paused);
  publish(notifier, bar(1));
  t.deepEqual(seen, [1]);
  t.is(notifier.dropped, 0);
});

test('drops bars while paused and delivers again after resume', (t) => {
  const notifier = new BarNotifier(() => t.fail());
  const seen: number[] = [];
  notifier.subscribe((b) => seen.push(b.t));
  notifier.pause();
  publish(notifier, bar(1));
  publish(notifier, bar(2));
  notifier.resume();
  publish(notifier, bar(3));
  t.deepEqual(seen, [3]);
  t.is(notifier.dropped, 2);
});

test("the session's pause and the user's pause are independent", (t) => {
  const notifier = new BarNotifier(() => t.fail());
  notifier.pause('user');
  notifier.pause('deactivated');
  notifier.resume('deactivated');
  t.true(notifier.paused, 'reactivation must not undo a pause the user asked for');
  notifier.resume('user');
  t.false(notifier.paused);
});

test('a throwing listener is reported and the others still get the bar', (t) => {
  const errors: unknown[] = [];
  const notifier = new BarNotifier((error) => errors.push(error));
  const seen: number[] = [];
  notifier.subscribe(() => {
    throw new Error('strategy bug');
  });
  notifier.subscribe((b) => seen.push(b.t));
  publish(notifier, bar(1));
  publish(notifier, bar(2));
  t.deepEqual(seen, [1, 2]);
  t.is(errors.length, 2);
  t.is(notifier.listenerErrors, 2);
});

test('unsubscribing during delivery does not skip another listener', (t) => {
  const notifier = new BarNotifier(() => t.fail());
  const seen: string[] = [];
  const off = notifier.subscribe(() => {
    seen.push('a');
    off();
  });
  notifier.subscribe(() => seen.push('b'));
  publish(notifier, bar(1));
  publish(notifier, bar(2));
  t.deepEqual(seen, ['a', 'b', 'b']);
});

test('position listeners and bar listeners hear each bar in the order they subscribed; bar listeners share one object', (t) => {
  const notifier = new BarNotifier(() => t.fail());
  const seen: string[] = [];
  const objects: StreamBar[] = [];
  notifier.subscribe((b) => {
    seen.push(`a${b.t}`);
    objects.push(b);
  });
  notifier.subscribeAt((symbol, interval, bars, i, updated) => seen.push(`v${bars.t[i]}:${[symbol, interval, bars.o[i], bars.h[i], bars.l[i], bars.c[i], bars.v[i], updated].join(',')}`));
  notifier.subscribe((b) => {
    seen.push(`b${b.t}`);
    objects.push(b);
  });
  publish(notifier, { symbol: 'AAPL', interval: '5m', t: 300_000, o: 1, h: 3, l: 0.5, c: 2, v: 10 }, true);
  t.deepEqual(seen, ['a300000', 'v300000:AAPL,5m,1,3,0.5,2,10,true', 'b300000']);
  t.is(objects[0], objects[1]);
  t.deepEqual(objects[0], { symbol: 'AAPL', interval: '5m', t: 300_000, o: 1, h: 3, l: 0.5, c: 2, v: 10, updated: true });
});

test('a throwing position listener is reported with the bar it was given', (t) => {
  const reported: StreamBar[] = [];
  const notifier = new BarNotifier((_error, b) => reported.push(b));
  notifier.subscribeAt(() => {
    throw new Error('bug');
  });
  publish(notifier, bar(60_000));
  t.deepEqual(reported, [bar(60_000)]);
  t.is(notifier.listenerErrors, 1);
});

test('hasListeners and wouldDeliver follow subscribers as they come and go, and pauses', (t) => {
  const notifier = new BarNotifier(() => undefined);
  t.false(notifier.hasListeners);
  const first = notifier.subscribe(() => undefined);
  const second = notifier.subscribeAt(() => undefined);
  t.true(notifier.hasListeners);
  t.true(notifier.wouldDeliver);
  notifier.pause('user');
  t.false(notifier.wouldDeliver);
  t.true(notifier.hasListeners);
  notifier.resume('user');
  first();
  t.true(notifier.wouldDeliver);
  second();
  t.false(notifier.hasListeners);
  t.false(notifier.wouldDeliver);
  notifier.subscribeAt(() => undefined);
  t.true(notifier.wouldDeliver);
});
