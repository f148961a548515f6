import test from 'ava';
import { fileURLToPath } from 'node:url';
import { isRunError } from '../../run/run-error.js';
import { defineStrategy } from '../../run/strategy.js';
import { runSweep } from '../../sweep/run-sweep.js';
import { isSweepError } from '../../sweep/sweep-error.js';

const SMA_CROSS = fileURLToPath(new URL('../../examples/sma-cross.ts', import.meta.url));

test("carry is 'all' unless a strategy says 'none'; anything else is INVALID_STRATEGY", (t) => {
  t.is(defineStrategy({ name: 'a' }).carry, 'all');
  t.is(defineStrategy({ name: 'b', carry: 'none' }).carry, 'none');
  const error = t.throws(() => defineStrategy({ name: 'c', carry: 'some' as 'none' }));
  t.true(isRunError(error, 'INVALID_STRATEGY'));
  t.is(error!.message, `strategy c: carry must be 'all' or 'none', got "some".`);
});

test("date chunks for a strategy that carries days are refused before anything runs", async (t) => {
  const error = await t.throwsAsync(runSweep({ strategy: SMA_CROSS, from: '2024-03-04', to: '2024-03-08', grid: ['fast=5,10'], data: '/nonexistent', chunks: 2 }));
  t.true(isSweepError(error, 'INVALID_OPTION'));
  t.is(error!.message, "Strategy sma-cross cannot be split into date chunks: only a strategy with carry: 'none' and no result hook can.");
});
