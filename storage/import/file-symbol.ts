import { isValidSymbol } from '../../model/symbol-name.js';

/**
 * The symbol a file's name gives: the name without its folder and its extensions (`.gz`, then
 * `.csv`, `.tsv`, `.txt`), up to the first `_` or space, upper-cased: `AAPL.csv`, `aapl_1m.csv.gz`
 * and `BRK.B_2024.csv` give `AAPL`, `AAPL`, `BRK.B`. `undefined` when that is not a valid symbol.
 */
export function symbolFromFileName(file: string): string | undefined {
  const name = file.split(/[\\/]/).pop()!.replace(/\.gz$/i, '').replace(/\.(csv|tsv|txt)$/i, '');
  const symbol = name.split(/[_ ]/)[0]!.toUpperCase();
  return isValidSymbol(symbol) ? symbol : undefined;
}
