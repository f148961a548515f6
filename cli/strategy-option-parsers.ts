import { InvalidArgumentError } from 'commander';
import type { CommissionModel } from '../broker/commission.js';

// The options only `backtest --strategy` reads, apart from the run itself so that parsing a plain
// session backtest's command line does not load the broker and the strategy runner.

/** `--param fast=5`, repeatable: collected into one object. */
export function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^([A-Za-z_$][\w$]*)=(.*)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`Use name=value, e.g. --param fast=5 (got ${JSON.stringify(value)}).`);
  return { ...previous, [match[1]!]: match[2]! };
}

/** `0.005/share,min=1`, `0.1%`, or both: per share, percent of notional, minimum. */
export function parseCommission(value: string): CommissionModel {
  const model: CommissionModel = {};
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const perShare = /^([\d.]+)\/share$/.exec(part);
    const percent = /^([\d.]+)%$/.exec(part);
    const minimum = /^min=([\d.]+)$/.exec(part);
    const number = Number((perShare ?? percent ?? minimum)?.[1]);
    if (!Number.isFinite(number)) throw new InvalidArgumentError(`Use e.g. 0.005/share,min=1 or 0.1% (not ${JSON.stringify(part)}).`);
    if (perShare) model.perShare = number;
    else if (percent) model.percent = number;
    else model.minimum = number;
  }
  return model;
}

export function parseAmount(value: string): number {
  const amount = Number(value.replaceAll('_', ''));
  if (!Number.isFinite(amount) || amount < 0) throw new InvalidArgumentError(`Use a number ≥ 0, e.g. 100000 (not ${JSON.stringify(value)}).`);
  return amount;
}
