import type {
  AddSymbolReport,
  AddSymbolRequest,
  DynamicReport,
  RemoveSymbolReport,
  RemoveSymbolRequest,
  StatusReport,
} from './control-protocol.js';

/**
 * What can be done to a running session from outside its code: the control API's operations.
 * `localControl` does them on a `Session` in this process (the server, the backtest's prompt),
 * `ControlClient` over HTTP from another process; the CLI commands work with either.
 */
export interface SessionControl {
  status(): Promise<StatusReport>;
  listDynamic(): Promise<DynamicReport>;
  addSymbol(request: AddSymbolRequest): Promise<AddSymbolReport>;
  removeSymbol(request: RemoveSymbolRequest): Promise<RemoveSymbolReport>;
}
