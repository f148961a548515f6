import http from 'node:http';
import { createInspectorServer, type Session } from 'tapedeck';
import { report, summarize } from '../measure.js';
import { replayDay, replayOnce } from '../replay-day.js';

const SYMBOLS = 500;
const RUNS = 9;

/**
 * Case 3: the replay of case 1 with the inspector serving a connected page (an SSE client
 * reading every update), against the same replay with the inspector server up but no page —
 * interleaved run by run.
 */
export async function inspectorOverhead(): Promise<void> {
  const { store, symbols, bars } = await replayDay(SYMBOLS);
  const withPage = (session: Session) => inspect(session, true);
  const noPage = (session: Session) => inspect(session, false);
  await replayOnce(store, symbols, withPage);
  const watched: number[] = [];
  const idle: number[] = [];
  const plain: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    plain.push((await replayOnce(store, symbols)).ms);
    idle.push((await replayOnce(store, symbols, noPage)).ms);
    watched.push((await replayOnce(store, symbols, withPage)).ms);
  }
  const params = { symbols: SYMBOLS, bars, streams: ['1m', '5m'], speed: 'max' };
  const base = summarize(plain).median;
  for (const [page, runs] of [['none (server up)', idle], ['one connected', watched]] as const) {
    const stats = summarize(runs);
    report('inspector-overhead', { ...params, page }, { ms: stats, withoutInspectorMs: base, slowdown: Number((stats.median / base - 1).toFixed(3)), target: 0.05 });
  }
}

async function inspect(session: Session, connect: boolean): Promise<() => Promise<void>> {
  const server = await createInspectorServer(session, { port: 0 });
  const page = connect ? await openEvents(`${server.url}events`) : undefined;
  return async () => {
    page?.destroy();
    await server.close();
  };
}

/** An SSE client that reads and drops everything, as an open page would. */
function openEvents(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        response.on('data', () => undefined);
        // The first message (the page's initial state) means the server has attached.
        response.once('data', () => resolve(response));
      })
      .on('error', reject);
  });
}
