import os from 'node:os';

/** What every result line carries about the machine it ran on. */
export function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, node: process.version, platform: `${os.platform()} ${os.arch()}` };
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Nearest-rank quantile: with few runs, p99 is the worst run, which is what it should say. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summarize(values: readonly number[], digits = 3): { median: number; p99: number; runs: number } {
  const round = (x: number) => Number(x.toFixed(digits));
  return { median: round(median(values)), p99: round(quantile(values, 0.99)), runs: values.length };
}

/** One JSON line per case, as `npm run bench` promises. */
export function report(name: string, params: Record<string, unknown>, results: Record<string, unknown>): void {
  console.log(JSON.stringify({ case: name, machine: machine(), params, ...results }));
}

/**
 * Full collections with pauses between them: typed arrays' memory is released after the
 * collection that finds them dead, so one `gc()` can still count a dropped session.
 */
export async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run the benchmarks with node --expose-gc (npm run bench does).');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
