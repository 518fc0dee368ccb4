// Aligned text tables, as kubectl prints them: the one formatter every command's tables use.
import { escapeCell } from './escape.js';

/** Rows as lines with columns padded to their widest cell (the last column is not padded); cells are escaped. */
export function table(rows: string[][]): string[] {
  const safe = rows.map((r) => r.map(escapeCell));
  const widths = safe.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(cell.length, w[i] ?? 0)), []);
  return safe.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}
