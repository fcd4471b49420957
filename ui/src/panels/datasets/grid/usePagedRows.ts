import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError } from '../../../api/errors';
import type { ApiError, ColumnSchema, JsonValue, Page } from '../../../api/types.gen';
import { PAGE_SIZE, pageOf, planPages } from './pageWindow';

export type FetchPage = (offset: number, limit: number) => Promise<Page>;

export interface PagedRows {
  /** Matching rows in all; null until the first page of the current query came. */
  total: number | null;
  columns: ColumnSchema[] | null;
  /** Error of the last failed fetch of the current query. */
  error: ApiError | null;
  /** Whether the current query has not answered yet (the rows shown may be the last query's). */
  pending: boolean;
  /** A cached row, or undefined while its page is not there. */
  row(index: number): JsonValue[] | undefined;
  /** Fetches the pages the visible rows need (and one ahead); drops far ones. */
  ensure(first: number, last: number): void;
}

/**
 * Rows fetched on demand in pages of PAGE_SIZE, cached by offset. A new `resetKey` (data,
 * sort, filters, search) empties the cache and fetches the first page again; answers to an
 * older query are ignored.
 */
export function usePagedRows(fetchPage: FetchPage, resetKey: string): PagedRows {
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const cache = useRef(new Map<number, JsonValue[][]>());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const totalRef = useRef<number | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [columns, setColumns] = useState<ColumnSchema[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(true);
  const [, setVersion] = useState(0);

  const fetchOne = useCallback((offset: number) => {
    const gen = generation.current;
    loading.current.add(offset);
    fetchRef.current(offset, PAGE_SIZE).then(
      (page) => {
        if (gen !== generation.current) return;
        loading.current.delete(offset);
        cache.current.set(offset, page.rows);
        totalRef.current = page.total_rows;
        setTotal(page.total_rows);
        setColumns((prev) => (prev && sameColumns(prev, page.columns) ? prev : page.columns));
        setError(null);
        setPending(false);
        setVersion((v) => v + 1);
      },
      (e: unknown) => {
        if (gen !== generation.current) return;
        loading.current.delete(offset);
        if (offset === 0 && totalRef.current === null) {
          // The query itself failed: show no rows of an earlier one.
          setTotal(null);
          setColumns(null);
        }
        setError(toApiError(e));
        setPending(false);
      },
    );
  }, []);

  useEffect(() => {
    generation.current += 1;
    cache.current = new Map();
    loading.current = new Set();
    totalRef.current = null;
    setPending(true);
    setError(null);
    fetchOne(0);
  }, [resetKey, fetchOne]);

  const ensure = useCallback(
    (first: number, last: number) => {
      if (totalRef.current === null) return; // the first page is on its way
      const plan = planPages({
        first,
        last,
        total: totalRef.current,
        cached: cache.current.keys(),
        loading: loading.current,
      });
      for (const offset of plan.drop) cache.current.delete(offset);
      for (const offset of plan.fetch) fetchOne(offset);
    },
    [fetchOne],
  );

  const row = useCallback((index: number) => {
    const offset = pageOf(index);
    return cache.current.get(offset)?.[index - offset];
  }, []);

  return { total, columns, error, pending, row, ensure };
}

function sameColumns(a: ColumnSchema[], b: ColumnSchema[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i].name && c.dtype === b[i].dtype && c.kind === b[i].kind);
}
