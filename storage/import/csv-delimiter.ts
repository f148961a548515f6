export type CsvDelimiter = ',' | ';' | '\t';

/** Tab before semicolon before comma: a file split by one of the first two rarely has the next on every line by chance. */
const CANDIDATES: readonly CsvDelimiter[] = ['\t', ';', ','];
const SAMPLE_LINES = 5;

/**
 * The delimiter of a CSV file from its first lines: the first candidate found the same number of
 * times (outside quotes) on each of up to five non-empty lines, else the most frequent one on the
 * first line, else a comma. A semicolon file with decimal commas is told by the semicolons.
 */
export function detectDelimiter(sample: string): CsvDelimiter {
  const lines = sample.split(/\r?\n/).filter((line) => line.trim() !== '');
  // The last line of a sample may be cut short.
  const complete = lines.length > 1 && !/\n\s*$/.test(sample) ? lines.slice(0, -1) : lines;
  const counted = complete.slice(0, SAMPLE_LINES).map(countOutsideQuotes);
  if (counted.length === 0) return ',';
  for (const candidate of CANDIDATES) {
    const first = counted[0]![candidate];
    if (first > 0 && counted.every((counts) => counts[candidate] === first)) return candidate;
  }
  let best: CsvDelimiter = ',';
  for (const candidate of CANDIDATES) if (counted[0]![candidate] > counted[0]![best]) best = candidate;
  return best;
}

function countOutsideQuotes(line: string): Record<CsvDelimiter, number> {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ',' || char === ';' || char === '\t')) counts[char]++;
  }
  return counts;
}
