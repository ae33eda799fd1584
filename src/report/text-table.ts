/**
 * Plain-text tables for a terminal (the CLI's output after a run): aligned columns, no markdown,
 * no colour codes, so the output can be pasted into an issue or a log as is.
 */

/** A table for the terminal; the first column is left-aligned, the others right-aligned. */
export interface TextTable {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Spaces between columns. */
const GAP = '  ';

/** Renders `table` as lines: title, header, a rule, rows. No trailing newline. */
export function renderTextTable(table: TextTable): string {
  const all = [table.header, ...table.rows];
  const columnCount = Math.max(...all.map((row) => row.length));
  const widths = Array.from({ length: columnCount }, (_, column) =>
    Math.max(...all.map((row) => displayWidth(row[column] ?? ''))),
  );
  const line = (row: readonly string[]): string =>
    widths
      .map((width, column) => {
        const text = row[column] ?? '';
        const padding = ' '.repeat(width - displayWidth(text));
        return column === 0 ? text + padding : padding + text;
      })
      .join(GAP)
      .trimEnd();
  const ruleWidth = widths.reduce((sum, width) => sum + width, 0) + GAP.length * (columnCount - 1);
  return [table.title, line(table.header), '-'.repeat(ruleWidth), ...table.rows.map(line)].join('\n');
}

/** Width in terminal columns; our cells are ASCII plus `−` and `µ`, one column per code point. */
function displayWidth(text: string): number {
  return Array.from(text).length;
}
