import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEnv, runCli } from './cli-process.js';

// The command loads only the module of the command it runs: each command must still be found
// alone, and a name that is no command must still be one.

const commandsIn = (help: string) => [...help.matchAll(/^ {2}([a-z][a-z-]*)(?= )/gm)].map((match) => match[1]!).filter((name) => name !== 'help');

test('every command listed by --help, and every data and session subcommand, answers its own --help', async (t) => {
  const top = await runCli(['--help']);
  t.is(top.code, 0, top.stderr);
  const names = commandsIn(top.stdout);
  t.deepEqual(names, ['backtest', 'live', 'sweep', 'worker', 'data', 'session', 'calendar', 'demo']);
  const groups = await Promise.all(['data', 'session'].map(async (group) => ({ group, help: await runCli([group, '--help']) })));
  const subcommands = groups.flatMap(({ group, help }) => commandsIn(help.stdout).map((name) => [group, name]));
  t.deepEqual(subcommands.map((words) => words.join(' ')).sort(), [
    'data add-symbol', 'data export', 'data generate', 'data import', 'data info', 'data list', 'data list-dynamic', 'data migrate', 'data remove-symbol', 'session status',
  ]);
  const asked = [...names.filter((name) => name !== 'data' && name !== 'session').map((name) => [name]), ...subcommands];
  for (const [words, result] of await Promise.all(asked.map(async (words) => [words, await runCli([...words, '--help'])] as const))) {
    t.is(result.code, 0, `${words.join(' ')}: ${result.stderr}`);
    t.true(result.stdout.startsWith(`Usage: tapedeck ${words.join(' ')} `), `${words.join(' ')}: ${result.stdout.slice(0, 80)}`);
  }
});

test('a name that is no command is a usage error, also one that names a property of every object', async (t) => {
  for (const words of [['toString'], ['bogus'], ['data', 'constructor']]) {
    const result = await runCli(words);
    t.is(result.code, 2, words.join(' '));
    t.regex(result.stderr, /Unknown command/);
  }
});

test('--version answers without loading a command: none of the packages the commands load is loaded', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tapedeck-version-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // At exit, the packages in the CommonJS cache: xstate and commander's neighbours are CommonJS.
  const probe = join(dir, 'probe.cjs');
  await writeFile(probe, `process.on('exit', () => process.stderr.write('loaded:' + JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules\\/(xstate|temporal-polyfill|proper-lockfile)\\//.test(f)).length)));`);
  const result = await runCli(['--version'], { ...cliEnv(), NODE_OPTIONS: `--require ${probe}` });
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^\d+\.\d+\.\d+\n$/);
  t.regex(result.stderr, /loaded:0$/);
  // The probe does see them once a command is loaded.
  const help = await runCli(['backtest', '--help'], { ...cliEnv(), NODE_OPTIONS: `--require ${probe}` });
  t.regex(help.stderr, /loaded:[1-9]\d*$/);
});
