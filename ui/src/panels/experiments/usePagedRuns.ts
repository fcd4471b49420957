import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError } from '../../api/errors';
import type { ApiError, RunRow, RunsPage } from '../../api/types.gen';
import { PageCache } from './pageCache';

export interface PagedRuns {
  total: number | null;
  error: ApiError | null;
  pending: boolean;
  row(index: number): RunRow | undefined;
  /** Fetches what rows `first..last` need. */
  ensure(first: number, last: number): void;
  /** Bumped whenever a page arrives (a render key). */
  version: number;
}

/** Runs in pages of 200 from `fetchPage`; a new `resetKey` starts over at the first page. */
export function usePagedRuns(fetchPage: (offset: number, limit: number) => Promise<RunsPage>, resetKey: string, enabled: boolean): PagedRuns {
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const cache = useRef(new PageCache<RunRow>());
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(true);
  const [version, setVersion] = useState(0);

  const fetchPages = useCallback((offsets: number[]) => {
    const c = cache.current;
    const gen = c.generation;
    for (const offset of offsets) {
      fetchRef.current(offset, c.pageSize).then(
        (page) => {
          if (!c.receive(gen, offset, page.rows, page.total)) return;
          setTotal(page.total);
          setError(null);
          setPending(false);
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          if (!c.fail(gen, offset)) return;
          if (c.total === null) setTotal(null);
          setError(toApiError(e));
          setPending(false);
        },
      );
    }
  }, []);

  useEffect(() => {
    const c = cache.current;
    c.reset();
    setPending(true);
    if (!enabled) {
      setTotal(null);
      setPending(false);
      return;
    }
    fetchPages(c.plan(0, 0));
  }, [resetKey, enabled, fetchPages]);

  const ensure = useCallback(
    (first: number, last: number) => {
      const c = cache.current;
      if (c.total === null) return;
      fetchPages(c.plan(first, last));
    },
    [fetchPages],
  );
  const row = useCallback((i: number) => cache.current.row(i), []);
  return { total, error, pending, row, ensure, version };
}
