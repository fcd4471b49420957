import type { ColumnKind, ColumnSchema } from '../../../api/types.gen';
import { formatInt } from '../../../lib/format';

/** Default width of a column, from its kind and name. */
export function columnWidth(column: Pick<ColumnSchema, 'name' | 'kind'>): number {
  const base: Record<ColumnKind, number> = { numeric: 96, boolean: 72, text: 160, temporal: 190, other: 150 };
  const forName = column.name.length * 7.5 + 34;
  return Math.round(Math.min(320, Math.max(base[column.kind] ?? 120, forName)));
}

/** Whether cells of a column are right-aligned. */
export function isNumericKind(kind: ColumnKind): boolean {
  return kind === 'numeric';
}

/** Width of the row-number column: room for the largest number with separators. */
export function gutterWidth(rows: number): number {
  return Math.max(44, formatInt(Math.max(1, rows)).length * 7 + 18);
}
