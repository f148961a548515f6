import type { ParamValue } from '../run/strategy.js';
import { SweepError } from './sweep-error.js';

/** One parameter of a grid and the values it takes, in the order the sweep tries them. */
export interface GridAxis {
  name: string;
  values: ParamValue[];
}

/** A grid so large is a typo (a step of 0.001 for 1..1000), not a sweep anyone waits for. */
const MAX_POINTS = 100_000;

/**
 * `fast=5..30:5` (a range, both ends included, step 1 unless given), `slow=20,40,60` (a list)
 * or `size=100` (one value). Numbers stay numbers; anything else is a string, read as the
 * strategy's default's type when the run starts (`flag=true,false`).
 */
export function parseGridAxis(text: string): GridAxis {
  const match = /^([A-Za-z_$][\w$]*)=(.+)$/.exec(text.trim());
  if (!match) throw new SweepError('INVALID_GRID', `Use name=from..to:step or name=a,b,c, e.g. fast=5..30:5 or slow=20,40,60 (got ${JSON.stringify(text)}).`, { param: text });
  const [, name, spec] = match as unknown as [string, string, string];
  const range = /^(-?[\d.]+)\.\.(-?[\d.]+)(?::([\d.]+))?$/.exec(spec);
  if (range) return { name, values: rangeValues(name, range[1]!, range[2]!, range[3] ?? '1') };
  const values = spec.split(',').map((part) => part.trim());
  if (values.some((value) => value === '')) throw new SweepError('INVALID_GRID', `${name}: an empty value in ${JSON.stringify(spec)}; list values as a,b,c.`, { param: name });
  if (new Set(values).size !== values.length) throw new SweepError('INVALID_GRID', `${name}: ${JSON.stringify(spec)} lists a value twice.`, { param: name });
  return { name, values: values.map(typed) };
}

/** Every parameter set of the grid, the last axis varying fastest: the sweep's job order. */
export function expandGrid(axes: readonly GridAxis[]): Array<Record<string, ParamValue>> {
  const names = axes.map((axis) => axis.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new SweepError('INVALID_GRID', `Param ${twice} is given twice: give each param once, with all its values.`, { param: twice });
  const points = axes.reduce((n, axis) => n * axis.values.length, 1);
  if (points > MAX_POINTS) throw new SweepError('INVALID_GRID', `The grid has ${points} points, more than ${MAX_POINTS}: use larger steps or fewer values.`, { points });
  let sets: Array<Record<string, ParamValue>> = [{}];
  for (const axis of axes) sets = sets.flatMap((set) => axis.values.map((value) => ({ ...set, [axis.name]: value })));
  return sets;
}

function rangeValues(name: string, fromText: string, toText: string, stepText: string): number[] {
  const [from, to, step] = [fromText, toText, stepText].map(Number) as [number, number, number];
  if (![from, to, step].every(Number.isFinite)) throw new SweepError('INVALID_GRID', `${name}: ${fromText}..${toText}:${stepText} is not a range of numbers.`, { param: name });
  if (step <= 0) throw new SweepError('INVALID_GRID', `${name}: the step must be above 0, got ${stepText}.`, { param: name });
  if (to < from) throw new SweepError('INVALID_GRID', `${name}: the range ${fromText}..${toText} ends before it starts.`, { param: name });
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_POINTS) throw new SweepError('INVALID_GRID', `${name}: ${fromText}..${toText}:${stepText} has ${count} values, more than ${MAX_POINTS}.`, { param: name });
  // from + i·step in binary floats drifts (0.1 + 2·0.1 = 0.30000000000000004): round to the inputs' decimals.
  const decimals = Math.max(...[fromText, stepText].map((t) => t.split('.')[1]?.length ?? 0));
  return Array.from({ length: count }, (_, i) => Number((from + i * step).toFixed(decimals)));
}

function typed(value: string): ParamValue {
  return /^-?(\d+\.?\d*|\.\d+)$/.test(value) ? Number(value) : value;
}
