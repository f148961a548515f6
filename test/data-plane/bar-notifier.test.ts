import test from 'ava';
import { BarNotifier } from '../../data-plane/bar-notifier.js';
import type { StreamBar } from '../../model/bar.js';

const bar = (t: number): StreamBar => ({ symbol: 'AAPL', interval: '1m', t, o: 1, h: 1, l: 1, c: 1, v: 1 });

test('starts delivering, with nothing dropped', (t) => {
  const notifier = new BarNotifier(() => t.fail());
  const seen: number[] = [];
  notifier.subscribe((b) => seen.push(b.t));
  t.false(notifier.paused);
  notifier.publish(bar(1));
  t.deepEqual(seen, [1]);
  t.is(notifier.dropped, 0);
});

test('drops bars while paused and delivers again after resume', (t) => {
  const notifier = new BarNotifier(() => t.fail());
  const seen: number[] = [];
  notifier.subscribe((b) => seen.push(b.t));
  notifier.pause();
  notifier.publish(bar(1));
  notifier.publish(bar(2));
  notifier.resume();
  notifier.publish(bar(3));
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
  notifier.publish(bar(1));
  notifier.publish(bar(2));
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
  notifier.publish(bar(1));
  notifier.publish(bar(2));
  t.deepEqual(seen, ['a', 'b', 'b']);
});
