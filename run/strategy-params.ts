import { RunError } from './run-error.js';
import type { ParamValue, StrategyParams } from './strategy.js';

/**
 * The strategy's defaults with the run's overrides. An override must name a declared param;
 * a string (from `--param k=v`) is read as the default's type, so `fast=5` is the number 5.
 */
export function resolveParams(defaults: StrategyParams, overrides: Record<string, unknown> = {}): StrategyParams {
  const params: StrategyParams = { ...defaults };
  for (const [key, raw] of Object.entries(overrides)) {
    if (!Object.hasOwn(defaults, key)) {
      const known = Object.keys(defaults);
      throw new RunError('UNKNOWN_PARAM', `Unknown param ${key}: the strategy declares ${known.length > 0 ? known.join(', ') : 'no params'}.`, { param: key });
    }
    params[key] = coerce(key, defaults[key]!, raw);
  }
  return params;
}

function coerce(key: string, fallback: ParamValue, raw: unknown): ParamValue {
  const wanted = typeof fallback;
  if (typeof raw === wanted) return raw as ParamValue;
  if (typeof raw === 'string') {
    if (wanted === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
    if (wanted === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  }
  throw new RunError('UNKNOWN_PARAM', `Param ${key} takes a ${wanted} (its default is ${JSON.stringify(fallback)}), got ${JSON.stringify(raw)}.`, { param: key, value: raw });
}
