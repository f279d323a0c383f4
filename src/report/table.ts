// Aligned plain-text tables for terminal output.

export type Align = 'left' | 'right';

/** Renders rows as columns padded to their widest cell; `align` per column, left by default. */
export function table(rows: string[][], align: Align[] = [], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      (
        indent +
        row
          .map((cell, i) => {
            const pad = ' '.repeat(widths[i]! - [...cell].length);
            return align[i] === 'right' ? pad + cell : cell + pad;
          })
          .join('  ')
      ).trimEnd(),
    )
    .join('\n');
}

/** 12,345 */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
