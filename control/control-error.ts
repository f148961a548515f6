/**
 * A failure on the control channel. `code` is either the channel's own (`NO_SESSION`,
 * `STALE_RUN_FILE`, `UNAUTHORIZED`, `RUN_DIR_BUSY`, `BAD_REQUEST`, …) or, for a refused
 * request, the session's `SessionError` code as the API reported it (`UNKNOWN_SYMBOL`, …).
 */
export class ControlError extends Error {
  override readonly name = 'ControlError';
  readonly code: string;
  /** The HTTP status, when the error came from (or goes to) an HTTP response. */
  readonly status: number | undefined;

  constructor(code: string, message: string, status?: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}
