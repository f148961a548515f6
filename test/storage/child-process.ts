import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A TypeScript file under test/storage/children running in a child Node process, read line by line. */
export class StorageChild {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiters = new Set<() => void>();

  constructor(readonly script: string, args: string[]) {
    this.#child = spawn(process.execPath, ['--conditions=tapedeck-source', '--import', 'tsx', fileURLToPath(new URL(`children/${script}`, import.meta.url)), ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    let partial = '';
    this.#child.stdout.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop()!;
      this.lines.push(...parts);
      for (const wake of this.#waiters) wake();
    });
    this.exited = new Promise((resolve) => this.#child.on('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => {
      for (const wake of this.#waiters) wake();
    });
  }

  /** Resolves with the first line (in order) from index `from` that matches; rejects if the child exits without printing one. */
  waitForLine(matches: (line: string) => boolean, from = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      let exited = false;
      void this.exited.then(() => (exited = true));
      const check = () => {
        const found = this.lines.slice(from).find(matches);
        if (found !== undefined) {
          this.#waiters.delete(check);
          resolve(found);
        } else if (exited || this.#child.exitCode !== null || this.#child.signalCode !== null) {
          this.#waiters.delete(check);
          reject(new Error(`${this.script} exited before the line awaited; stdout:\n${this.lines.join('\n')}\nstderr:\n${this.stderr}`));
        }
      };
      this.#waiters.add(check);
      check();
    });
  }

  send(line: string): void {
    this.#child.stdin.write(`${line}\n`);
  }

  /** SIGKILL: no exit handler, no flush, no lock released; whatever write was in flight is cut off. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    const { signal } = await this.exited;
    if (signal !== 'SIGKILL') throw new Error(`${this.script} ended by ${String(signal)} instead of SIGKILL: ${this.stderr}`);
  }
}

/**
 * Runs a child that prints a line per completed write, waits until it has printed `lines`
 * lines, lets it run `delayMs` longer and kills it with SIGKILL.
 */
export async function killMidWrite(script: string, args: string[], lines: number, delayMs: number): Promise<void> {
  const child = new StorageChild(script, args);
  await child.waitForLine(() => child.lines.length >= lines);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  await child.kill();
}
