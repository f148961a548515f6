import test from 'ava';
import { Alpaca } from '@alpacahq/alpaca-trade-api';
import type { Bar } from 'tapedeck';
import { FakeAlpacaServer } from '../support/fake-alpaca-server.js';
import { dayOf, fastClock, today } from '../support/live-fixture.js';

const KEY = 'PKOFFICIAL000000';
const SECRET = 'official-client-secret';

test("Alpaca's official v4 client connects to the fake over msgpack, authenticates, subscribes and receives a bar", async (t) => {
  const clock = fastClock(4);
  const record = new Map<string, Bar[]>([['AAPL', dayOf('AAPL', today)]]);
  const server = new FakeAlpacaServer({ clock, record, keyId: KEY, secret: SECRET });
  const { streamUrl } = await server.listen();
  t.teardown(() => server.close());

  const alpaca = new Alpaca({ keyId: KEY, secret: SECRET });
  const stream = alpaca.marketData.stockStream({ url: streamUrl, reconnect: false });
  t.teardown(() => stream.disconnect());
  const subscribed = new Promise<unknown>((resolve) => stream.on('subscription', resolve));
  const received = new Promise<{ symbol: string; close: number; timestamp: Date }>((resolve) => stream.onBar(resolve));
  stream.subscribeForBars(['AAPL']);
  stream.connect();

  t.true(await stream.waitForAuthentication(5000), 'authenticated');
  t.like(await subscribed, { bars: ['AAPL'] });
  const bar = await received;
  t.is(server.log.msgpackClients, 1, 'the official client speaks msgpack');
  t.is(bar.symbol, 'AAPL');
  const sent = record.get('AAPL')!.find((b) => b.t === bar.timestamp.getTime());
  t.truthy(sent, 'its timestamp decodes to a minute of the record');
  t.is(bar.close, sent!.c);
});
