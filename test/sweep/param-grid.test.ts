import test from 'ava';
import { expandGrid, parseGridAxis } from '../../sweep/param-grid.js';
import { isSweepError } from '../../sweep/sweep-error.js';

test('a range includes both ends and steps without float drift; a list keeps its order and types', (t) => {
  t.deepEqual(parseGridAxis('fast=5..30:5'), { name: 'fast', values: [5, 10, 15, 20, 25, 30] });
  t.deepEqual(parseGridAxis('x=1..3'), { name: 'x', values: [1, 2, 3] });
  t.deepEqual(parseGridAxis('r=0.1..0.5:0.1'), { name: 'r', values: [0.1, 0.2, 0.3, 0.4, 0.5] });
  t.deepEqual(parseGridAxis('slow=20,40,60'), { name: 'slow', values: [20, 40, 60] });
  t.deepEqual(parseGridAxis('mode=fast,slow'), { name: 'mode', values: ['fast', 'slow'] });
  t.deepEqual(parseGridAxis('size=100'), { name: 'size', values: [100] });
});

test('every parameter set of the grid, the last axis fastest', (t) => {
  const sets = expandGrid([parseGridAxis('a=1,2'), parseGridAxis('b=x,y,z')]);
  t.deepEqual(sets, [
    { a: 1, b: 'x' },
    { a: 1, b: 'y' },
    { a: 1, b: 'z' },
    { a: 2, b: 'x' },
    { a: 2, b: 'y' },
    { a: 2, b: 'z' },
  ]);
});

test('a malformed axis is an INVALID_GRID error that says how to write one', (t) => {
  for (const [text, message] of [
    ['fast', /Use name=from\.\.to:step or name=a,b,c/],
    ['fast=5..30:0', /step must be above 0/],
    ['fast=30..5', /ends before it starts/],
    ['fast=1,,2', /empty value/],
    ['fast=1,1', /lists a value twice/],
    ['fast=1..1000000:1', /more than 100000/],
  ] as const) {
    const error = t.throws(() => parseGridAxis(text));
    t.true(isSweepError(error, 'INVALID_GRID'), text);
    t.regex(error!.message, message);
  }
  const twice = t.throws(() => expandGrid([parseGridAxis('a=1'), parseGridAxis('a=2')]));
  t.true(isSweepError(twice, 'INVALID_GRID'));
});
