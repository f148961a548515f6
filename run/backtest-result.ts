import type { CommissionModel } from '../broker/commission.js';
import type { RoundTrip } from '../broker/fifo-lots.js';
import type { Fill } from '../broker/fill.js';
import type { SlippageModel } from '../broker/slippage.js';
import type { EquityPoint } from '../broker/simulated-broker.js';
import type { DailyEquity, Metrics } from '../metrics/compute-metrics.js';
import type { Interval } from '../model/bar.js';
import type { PauseRecord } from '../model/pause-record.js';
import type { ReportCandles } from './report-candles.js';
import type { StrategyParams } from './strategy.js';

/** What the run was asked to do, defaults filled in. */
export interface RunConfig {
  strategy: string;
  from: string;
  to: string;
  calendar: string;
  /** The universe on the first day. */
  symbols: string[];
  streams: Interval[];
  /** Trading days loaded for history before the first day, oldest first. */
  warmupDays: string[];
  cash: number;
  commission: CommissionModel;
  slippage: SlippageModel;
}

/** One trading day of the run. Only simulated times: the same inputs give the same summary. */
export interface DaySummary {
  date: string;
  /** 1m bars the broker received (every symbol streaming that day). */
  bars: number;
  /** The stream's pauses: at the start, and to catch up added symbols (wall-clock durations left out). */
  pauses: Array<Pick<PauseRecord, 'reason' | 'simTime' | 'symbols'>>;
  added: string[];
  removed: string[];
  /** The universe at the close: what the next day starts with. */
  symbols: string[];
  fills: number;
  startEquity: number;
  endEquity: number;
  pnl: number;
}

export interface BacktestResult {
  config: RunConfig;
  params: StrategyParams;
  metrics: Metrics;
  /** In the order they happened; `t` is the open time of the bar each filled on. */
  fills: Fill[];
  /** Round trips, first in, first out, in the order they closed. */
  trades: RoundTrip[];
  /** After each simulated minute with bars, and at each day's close. */
  equity: { minutes: EquityPoint[]; days: DailyEquity[] };
  days: DaySummary[];
  /** Orders placed, filled or not: ids `o1` … `o{orders}` (not in `result.json`). */
  orders: number;
  /** Per-symbol candles of the run's 1m bars for `report.html` (not in `result.json`). */
  candles: ReportCandles;
  /** What the strategy's `result(ctx)` returned. */
  extra?: unknown;
}
