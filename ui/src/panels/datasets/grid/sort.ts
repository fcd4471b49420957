import type { SortKey } from '../../../api/types.gen';

/**
 * The sort after a header click: a plain click sorts by that column alone, cycling
 * ascending → descending → none; shift-click adds the column as a further key (or cycles it
 * in place, removing it after descending).
 */
export function nextSort(sort: SortKey[], column: string, additive: boolean): SortKey[] {
  const i = sort.findIndex((s) => s.column === column);
  const existing = i === -1 ? null : sort[i];
  if (!additive) {
    // Only when it is the sole key does a plain click cycle; otherwise it starts over.
    if (!existing || sort.length > 1) return [{ column, descending: false }];
    return existing.descending ? [] : [{ column, descending: true }];
  }
  if (!existing) return [...sort, { column, descending: false }];
  if (!existing.descending) return sort.map((s, j) => (j === i ? { column, descending: true } : s));
  return sort.filter((_, j) => j !== i);
}

/** Where a column stands in the sort: direction and 1-based rank, or null. */
export function sortState(sort: SortKey[], column: string): { descending: boolean; rank: number } | null {
  const i = sort.findIndex((s) => s.column === column);
  return i === -1 ? null : { descending: sort[i].descending, rank: i + 1 };
}
