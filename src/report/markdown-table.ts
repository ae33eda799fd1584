/**
 * GFM tables. Cells arrive already escaped; this only lays them out, so a table is always whole
 * (docs/architecture.md#comparison-store-and-reports: the body is shortened by dropping sections, never by cutting a table).
 */

/** Column alignment in a GFM table. */
export type Align = 'left' | 'right' | 'center';

/** A table to render: `header` and each row have one entry per column. */
export interface MarkdownTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column; missing entries are left-aligned. */
  readonly align?: readonly Align[];
}

const DELIMITERS: Readonly<Record<Align, string>> = { left: '---', right: '---:', center: ':---:' };

/** Renders `table` as GFM lines without a trailing newline. Rows are padded to the header width. */
export function renderMarkdownTable(table: MarkdownTable): string {
  const width = table.header.length;
  const line = (cells: readonly string[]): string =>
    `| ${Array.from({ length: width }, (_, index) => cells[index] ?? '').join(' | ')} |`;
  const delimiter = Array.from({ length: width }, (_, index) => DELIMITERS[table.align?.[index] ?? 'left']);
  return [line(table.header), `|${delimiter.map((cell) => ` ${cell} `).join('|')}|`, ...table.rows.map(line)].join(
    '\n',
  );
}
