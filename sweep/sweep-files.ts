import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { csv, resultDocument, writeAtomically } from '../run/result-files.js';
import { runFolder, sweepDocument } from './sweep-document.js';
import { renderSweepPage } from './sweep-page.js';
import type { SweepPoint, SweepResult } from './sweep-result.js';

/** `runs/<n>/result.json` for each set that ran, then `sweep.json`, `sweep.csv` and `sweep.html`, each written whole. */
export async function writeSweepFiles(dir: string, result: SweepResult): Promise<void> {
  for (const point of result.points) {
    if (!point.run) continue;
    const folder = path.join(dir, runFolder(result, point.point));
    await mkdir(folder, { recursive: true });
    await writeAtomically(path.join(folder, 'result.json'), resultDocument(point.run));
  }
  const document = sweepDocument(result);
  await writeAtomically(path.join(dir, 'sweep.json'), `${JSON.stringify(document, null, 2)}\n`);
  await writeAtomically(path.join(dir, 'sweep.csv'), sweepCsv(result));
  await writeAtomically(path.join(dir, 'sweep.html'), renderSweepPage(document));
}

function sweepCsv(result: SweepResult): string {
  const names = Object.keys(result.points[0]?.params ?? {});
  const metrics = Object.keys(result.ranked[0]?.run.metrics ?? {});
  const rows = result.points.map((p: SweepPoint) => [
    p.point,
    ...names.map((name) => String(p.params[name])),
    ...metrics.map((metric) => (p.run ? String((p.run.metrics as unknown as Record<string, number | null>)[metric] ?? '') : '')),
    p.error ? `${p.error.code}: ${p.error.message}` : '',
  ]);
  return csv(['point', ...names, ...metrics, 'error'], rows);
}
