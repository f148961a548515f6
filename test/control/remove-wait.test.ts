import test from 'ava';
import { createControlServer } from '../../control/control-server.js';
import { manualSession, tempDir } from './session-fixture.js';

// Two DELETEs of one symbol that both wait: a graceful one (MSFT drains to the end of the
// minute) and an immediate one while it drains. Each caller gets its answer when MSFT is gone,
// with the session still running — not at the session's end.

test('a graceful DELETE wait=true, then an immediate one while it drains: both answer 200 once removed', async (t) => {
  t.timeout(30_000, 'a waiting DELETE hung'); // it takes well under a second; a hang lasts until the session ends
  const dir = await tempDir('remove-wait');
  const session = await manualSession();
  const server = await createControlServer(session, { runDir: dir.path });
  const remove = (immediate: boolean) =>
    fetch(`${server.url}/v1/symbols/MSFT?immediate=${immediate}&wait=true`, { method: 'DELETE', headers: { authorization: `Bearer ${server.token}` } }).then(
      async (response) => ({ status: response.status, json: (await response.json()) as { status: string } }),
    );
  await session.advance(5);
  const graceful = remove(false);
  await waitForStatus(session, 'MSFT', 'draining');
  const immediate = await remove(true);
  t.is(immediate.status, 200);
  t.is(immediate.json.status, 'removed');
  const first = await graceful;
  t.is(first.status, 200);
  t.is(first.json.status, 'removed');
  t.is(session.state, 'streaming', 'both answered while the session runs');
  await server.close();
  await session.stop();
  await dir.remove();
});

async function waitForStatus(session: Awaited<ReturnType<typeof manualSession>>, symbol: string, status: string) {
  await new Promise<void>((resolve) => {
    if (session.listSymbols().find((s) => s.symbol === symbol)?.status === status) return resolve();
    const off = session.on('symbol', (event) => {
      if (event.symbol !== symbol || event.status !== status) return;
      off();
      resolve();
    });
  });
}
