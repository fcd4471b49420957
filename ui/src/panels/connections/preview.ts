import type { JsonValue, Page, SortKey } from '../../api/types.gen';

function compareCells(a: JsonValue | undefined, b: JsonValue | undefined): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const as = typeof a === 'string' ? a : JSON.stringify(a);
  const bs = typeof b === 'string' ? b : JSON.stringify(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/**
 * The preview's rows sorted by `sort` (in the browser: a preview is at most a few hundred
 * rows). Missing values go last in both directions, like the engine's sort; ties keep their
 * order.
 */
export function sortPreview(page: Page, sort: SortKey[]): JsonValue[][] {
  const keys = sort
    .map((s) => ({ index: page.columns.findIndex((c) => c.name === s.column), descending: s.descending }))
    .filter((k) => k.index >= 0);
  if (keys.length === 0) return page.rows;
  return page.rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => {
      for (const k of keys) {
        const a = x.row[k.index];
        const b = y.row[k.index];
        const missing = a === null || a === undefined || b === null || b === undefined;
        const c = compareCells(a, b);
        if (c !== 0) return missing || !k.descending ? c : -c;
      }
      return x.i - y.i;
    })
    .map((x) => x.row);
}

/** One page of the preview for the data grid: the grid pages through the preview's rows only. */
export function previewPage(page: Page, offset: number, limit: number, sort: SortKey[]): Page {
  const rows = sortPreview(page, sort);
  return { columns: page.columns, rows: rows.slice(offset, offset + limit), offset, total_rows: rows.length };
}
