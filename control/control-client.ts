import { request as httpRequest } from 'node:http';
import { ControlError } from './control-error.js';
import type {
  AddSymbolReport,
  AddSymbolRequest,
  DynamicReport,
  ErrorBody,
  RemoveSymbolReport,
  RemoveSymbolRequest,
  StatusReport,
} from './control-protocol.js';
import { DEFAULT_RUN_DIR, processExists, readRunFile, runFilePath, type RunFile } from './run-file.js';
import type { SessionControl } from './session-control.js';

/** A request that is not waiting on the session answers at once; silence this long means a hung process. */
const QUICK_TIMEOUT_MS = 10_000;

/** The control API of a session running in another process, found through its run file. */
export class ControlClient implements SessionControl {
  private constructor(
    readonly runDir: string,
    readonly runFile: RunFile,
  ) {}

  /** Reads the run file in `runDir`; fails with `NO_SESSION` or `STALE_RUN_FILE` when nothing runs there. */
  static async connect(runDir: string): Promise<ControlClient> {
    let runFile: RunFile | undefined;
    try {
      runFile = await readRunFile(runDir);
    } catch (error) {
      throw new ControlError('BAD_RUN_FILE', (error as Error).message);
    }
    if (!runFile) throw new ControlError('NO_SESSION', `No running tapedeck session in ${runDir} — start one with: ${startHint(runDir)}`);
    if (!processExists(runFile.pid)) {
      throw new ControlError(
        'STALE_RUN_FILE',
        `Stale run file ${runFilePath(runDir)}: process ${runFile.pid} is gone (the session crashed or was killed) — delete it, or start a new session: ${startHint(runDir)}`,
      );
    }
    return new ControlClient(runDir, runFile);
  }

  status(): Promise<StatusReport> {
    return this.request('GET', '/v1/status');
  }

  listDynamic(): Promise<DynamicReport> {
    return this.request('GET', '/v1/symbols/dynamic');
  }

  addSymbol(request: AddSymbolRequest): Promise<AddSymbolReport> {
    return this.request('POST', '/v1/symbols', request, !request.wait);
  }

  removeSymbol({ symbol, immediate = false, wait = false, flatten = false }: RemoveSymbolRequest): Promise<RemoveSymbolReport> {
    return this.request('DELETE', `/v1/symbols/${encodeURIComponent(symbol)}?immediate=${immediate}&wait=${wait}${flatten ? '&flatten=true' : ''}`, undefined, !wait);
  }

  private request<T>(method: string, path: string, body?: unknown, quick = true): Promise<T> {
    const { host, port, token, pid } = this.runFile;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = httpRequest(
        {
          host,
          port,
          method,
          path,
          // One request per process: no keep-alive socket to hold the CLI open.
          agent: false,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
          ...(quick ? { timeout: QUICK_TIMEOUT_MS } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            try {
              resolve(this.answer<T>(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new ControlError('TIMEOUT', `The session (pid ${pid}) did not answer ${method} ${path} within ${QUICK_TIMEOUT_MS / 1000} s; it may be hung.`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof ControlError) return reject(error);
        if (error.code === 'ECONNREFUSED') {
          return reject(
            new ControlError(
              'STALE_RUN_FILE',
              `Stale run file ${runFilePath(this.runDir)}: nothing answers on ${host}:${port} (process ${pid} is not serving a session) — delete it, or start a new session: ${startHint(this.runDir)}`,
            ),
          );
        }
        reject(new ControlError('UNREACHABLE', `Could not reach the session on ${host}:${port}: ${error.message}`));
      });
      req.end(payload);
    });
  }

  private answer<T>(status: number, text: string): T {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ControlError('BAD_RESPONSE', `The control API answered ${status} with something that is not JSON: ${text.slice(0, 200)}`, status);
    }
    if (status === 401) {
      throw new ControlError(
        'UNAUTHORIZED',
        `The session refused the token in ${runFilePath(this.runDir)} (401): the file was changed or belongs to another session — restart the session to write a new one.`,
        401,
      );
    }
    if (status >= 200 && status < 300) return parsed as T;
    const error = (parsed as Partial<ErrorBody> | null)?.error;
    throw new ControlError(error?.code ?? 'BAD_RESPONSE', error?.message ?? `The control API answered ${status}.`, status);
  }
}

function startHint(runDir: string): string {
  const runDirOption = runDir === DEFAULT_RUN_DIR ? '' : ` --run-dir ${runDir}`;
  return `tapedeck backtest --date 2024-03-08 --symbols AAPL,MSFT --data ./data${runDirOption}`;
}
