// The public API of tapedeck. Everything a user or another package may import is here.
export { createSession } from './session/create-session.js';
export { Session, type DynamicSymbolInfo, type LiveSession } from './session/session.js';
export type { SessionEventMap, BacktestTypes } from './session/backtest-mode.js';
export type { LiveSessionEventMap, LiveSessionSummary, LiveSymbolInfo, LiveTypes } from './session/live-mode.js';
export type { CommonEventMap, ModeTypes } from './session/session-mode.js';
export { storeHistory, type LiveSessionOptions } from './session/live-session-options.js';
export { acceleratedClock, wallClock, type LiveClock } from './data-plane/live-clock.js';
export type { FeedBar, FeedSink, FeedStatus, HistorySource, LiveFeed } from './model/live-feed.js';
export { ReplayFeed, type ReplayFeedOptions } from './feeds/replay-feed.js';
export { AlpacaFeed, type AlpacaFeedOptions } from './feeds/alpaca/alpaca-feed.js';
export { AlpacaHistory, type AlpacaHistoryOptions } from './feeds/alpaca/alpaca-history.js';
export { AlpacaCredentials } from './feeds/alpaca/alpaca-credentials.js';
export type { InspectionObserver, PlannedCommand, SessionOptions, SymbolConfig } from './session/session-options.js';
export type { SessionSummary, SymbolInfo } from './model/session-summary.js';
export { SessionError, isSessionError, type SessionErrorCode } from './model/session-error.js';
export { CodedError } from './model/coded-error.js';
export type { SessionRecorder, RecordedConfig, RecordedSymbol, RecordedCommand, SessionReplay, SymbolCommand } from './model/session-recorder.js';
export { consoleLogger, silentLogger, type Logger } from './model/logger.js';
export type { BacktestSpeed } from './actors/backtest-clock.js';

export { SessionData, type SymbolData } from './data-plane/session-data.js';
export { INTERVALS, INTERVAL_MS, isInterval, type Bar, type Interval, type StreamBar } from './model/bar.js';
export type { BarListener, BarAtListener } from './data-plane/bar-notifier.js';
export type { DropCounts, IntervalCounts } from './model/counts.js';

export { sessionMachine, type SessionPlan } from './machines/session-machine.js';
export type { PauseRecord } from './model/pause-record.js';
export { symbolMachine } from './machines/symbol-machine.js';
export type { SymbolStatus, SymbolFailure } from './model/symbol-status.js';
export { liveSessionMachine, type FeedReport, type LivePlan } from './machines/live-session-machine.js';
export { liveSymbolMachine } from './machines/live-symbol-machine.js';
export { backtestSymbolMachine } from './machines/backtest-symbol-machine.js';

export type { MarketCalendar, TradingSession } from './calendar/market-calendar.js';
export { nyse } from './calendar/nyse.js';
export { defineCalendar, type CalendarDescription, type EarlyClose, type Holiday, type Hours, type PerYear } from './calendar/define-calendar.js';

export type { BarStore } from './model/bar-store.js';
export type { BarColumnsView } from './model/bar-columns-view.js';
export { MemoryBarStore } from './storage/bars/memory-bar-store.js';
export { LowdbBarStore } from './storage/bars/lowdb-bar-store.js';
export { ArrowBarStore, type CatalogRebuild } from './storage/bars/arrow-bar-store.js';
export { STORED_INTERVALS, type StoredInterval } from './storage/bars/arrow-partition.js';
export type { BarCatalog, SeriesSummary, PartitionSummary } from './storage/bars/bar-catalog.js';
export { SYMBOL_PATTERN, isValidSymbol, assertValidSymbol } from './model/symbol-name.js';
export { SessionJournal } from './storage/journal/session-journal.js';
export type { JournalRecord } from './storage/journal/journal-record.js';
export { RunJournal, type RecordedRun, type RunJournalRecord } from './storage/journal/run-journal.js';
export { JournalError, isJournalError, type JournalErrorCode } from './storage/journal/journal-error.js';
export { recordLiveBars, type LiveBarRecording } from './storage/bars/live-bar-recorder.js';
export { importCsv, type CsvImportOptions, type CsvImportReport } from './storage/import/csv-import.js';
export { generateDataset, generateDayBars, type SyntheticDatasetOptions, type SyntheticDayOptions } from './storage/synthetic/synthetic-bars.js';

export { createInspectorServer, type InspectorServer, type InspectorServerOptions } from './inspector/inspector-server.js';
export { machineDiagram, machineGraph, type MachineDiagram, type MachineGraph, type DiagramNode, type DiagramEdge } from './inspector/machine-diagram.js';

export { SimulatedBroker, type BrokerBar, type BrokerOptions, type BrokerSnapshot, type EquityPoint, type Position } from './broker/simulated-broker.js';
export { BrokerError, isBrokerError, positionOpenError, type BrokerErrorCode } from './broker/broker-error.js';
export type { Order, OrderOptions, OrderRequest, OrderSide, OrderStatus, OrderType, TimeInForce } from './broker/order.js';
export type { Fill, FillReason } from './broker/fill.js';
export type { CommissionModel } from './broker/commission.js';
export type { SlippageModel } from './broker/slippage.js';
export type { RoundTrip } from './broker/fifo-lots.js';
export { computeMetrics, TRADING_DAYS_PER_YEAR, type DailyEquity, type Metrics, type MetricsInput } from './metrics/compute-metrics.js';
export { buildRoundTrips } from './metrics/round-trips.js';
export { MetricsError, type MetricsErrorCode } from './metrics/metrics-error.js';

export { defineStrategy, type Strategy, type StrategySpec, type StrategyContext, type StrategyBroker, type StrategyParams, type ParamValue, type RunDay, type RunSession } from './run/strategy.js';
export { runBacktest, type RunBacktestOptions } from './run/run-backtest.js';
export type { RunningBacktest } from './run/running-backtest.js';
export type { BacktestResult, DaySummary, RunConfig } from './run/backtest-result.js';
export type { CompletedDay, DayCheckpoint } from './run/day-checkpoint.js';
export type { ReportCandles } from './run/report-candles.js';
export { writeResultFiles } from './run/result-files.js';
export { RunError, isRunError, type RunErrorCode } from './run/run-error.js';

export { runSweep, type RunSweepOptions } from './sweep/run-sweep.js';
export type { SweepPoint, SweepProgress, SweepResult } from './sweep/sweep-result.js';
export type { JobFailure, SweepRun } from './sweep/sweep-job.js';
export { parseGridAxis, expandGrid, type GridAxis } from './sweep/param-grid.js';
export type { RankMetric } from './sweep/sweep-rank.js';
export { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from './sweep/queue-worker.js';
export { DEFAULT_QUEUE_NAME } from './sweep/queue-name.js';
export { SweepError, isSweepError, type SweepErrorCode } from './sweep/sweep-error.js';
