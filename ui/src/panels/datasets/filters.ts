import type { ColumnKind, ColumnSchema, Filter, FilterOp, JsonValue } from '../../api/types.gen';

/** One clause of the filter builder as the user entered it. */
export interface FilterChip {
  column: string;
  op: FilterOp;
  /** The value as typed (ignored by is_null / is_not_null). */
  value: string;
}

export const FILTER_OPS: { op: FilterOp; label: string; symbol: string }[] = [
  { op: 'eq', label: 'equals', symbol: '=' },
  { op: 'ne', label: 'not equal', symbol: '≠' },
  { op: 'lt', label: 'less than', symbol: '<' },
  { op: 'le', label: 'at most', symbol: '≤' },
  { op: 'gt', label: 'greater than', symbol: '>' },
  { op: 'ge', label: 'at least', symbol: '≥' },
  { op: 'contains', label: 'contains', symbol: 'contains' },
  { op: 'is_null', label: 'is null', symbol: 'is null' },
  { op: 'is_not_null', label: 'is not null', symbol: 'is not null' },
];

export function needsValue(op: FilterOp): boolean {
  return op !== 'is_null' && op !== 'is_not_null';
}

/**
 * The JSON value a typed text stands for, given the column's kind: numbers for numeric
 * columns, true/false for booleans, text otherwise (and always text for `contains`).
 * Returns an error message when the text does not fit the column.
 */
export function parseFilterValue(text: string, kind: ColumnKind | undefined, op: FilterOp): { value: JsonValue } | { error: string } {
  const t = text.trim();
  if (op === 'contains') return t ? { value: t } : { error: 'Enter the text to look for' };
  if (t === '') return { error: 'Enter a value' };
  if (kind === 'numeric') {
    const n = Number(t.replace(/[_,\s]/g, ''));
    return Number.isFinite(n) ? { value: n } : { error: `“${t}” is not a number` };
  }
  if (kind === 'boolean') {
    const l = t.toLowerCase();
    if (l === 'true' || l === '1' || l === 'yes') return { value: true };
    if (l === 'false' || l === '0' || l === 'no') return { value: false };
    return { error: 'Enter true or false' };
  }
  return { value: text };
}

/** The API filter of a chip; null when its value does not fit the column. */
export function chipToFilter(chip: FilterChip, columns: Pick<ColumnSchema, 'name' | 'kind'>[]): Filter | null {
  if (!needsValue(chip.op)) return { column: chip.column, op: chip.op };
  const kind = columns.find((c) => c.name === chip.column)?.kind;
  const parsed = parseFilterValue(chip.value, kind, chip.op);
  if ('error' in parsed) return null;
  return { column: chip.column, op: chip.op, value: parsed.value };
}

/** API filters of all chips that are valid. */
export function chipsToFilters(chips: FilterChip[], columns: Pick<ColumnSchema, 'name' | 'kind'>[]): Filter[] {
  return chips.map((c) => chipToFilter(c, columns)).filter((f): f is Filter => f !== null);
}

/** `carat ≥ 1.5`, `cut is null`, `name contains "ab"`. */
export function chipLabel(chip: FilterChip): string {
  const symbol = FILTER_OPS.find((o) => o.op === chip.op)?.symbol ?? chip.op;
  if (!needsValue(chip.op)) return `${chip.column} ${symbol}`;
  return chip.op === 'contains' ? `${chip.column} contains “${chip.value.trim()}”` : `${chip.column} ${symbol} ${chip.value.trim()}`;
}

/** Operators that make sense for a kind. */
export function opsFor(kind: ColumnKind | undefined): FilterOp[] {
  const all = FILTER_OPS.map((o) => o.op);
  if (kind === 'boolean') return ['eq', 'ne', 'is_null', 'is_not_null'];
  if (kind === 'numeric') return all;
  return all;
}
