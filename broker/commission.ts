import { BrokerError } from './broker-error.js';
import { ceilUnits, MONEY_SCALE, toUnits } from './money.js';

/**
 * Commission of one fill: `perShare × qty + percent % × notional`, at least `minimum`, rounded
 * up to 0.0001. All default to 0.
 */
export interface CommissionModel {
  perShare?: number;
  minimum?: number;
  /** In percent: 0.1 is 0.1 % of the fill's notional. */
  percent?: number;
}

export function checkCommissionModel(model: CommissionModel): void {
  for (const key of ['perShare', 'minimum', 'percent'] as const) {
    const value = model[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new BrokerError('INVALID_CONFIG', `commission.${key} must be a finite number ≥ 0, got ${String(value)}.`, { [key]: value });
    }
  }
}

/** In money units, for `qty` shares worth `notionalUnits`. */
export function commissionUnits(model: CommissionModel, qty: number, notionalUnits: number): number {
  const computed = qty * (model.perShare ?? 0) * MONEY_SCALE + (notionalUnits * (model.percent ?? 0)) / 100;
  return Math.max(toUnits(model.minimum ?? 0), ceilUnits(computed));
}
