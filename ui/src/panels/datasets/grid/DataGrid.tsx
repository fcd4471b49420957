import { observeElementOffset, useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, type MouseEvent } from 'react';
import type { ColumnSchema, SortKey } from '../../../api/types.gen';
import { formatInt } from '../../../lib/format';
import { cellText } from '../../../lib/format';
import { columnWidth, gutterWidth, isNumericKind } from './cells';
import { MAX_SCROLL_PX, scrollScale } from './pageWindow';
import { nextSort, sortState } from './sort';
import { usePagedRows, type FetchPage } from './usePagedRows';

const ROW_H = 24;
const HEADER_H = 40;
const FETCH_SETTLE_MS = 60;

export interface DataGridProps {
  /** Fetches rows `offset .. offset + limit` of the current query, sorted by `sort`. */
  fetchPage: (offset: number, limit: number, sort: SortKey[]) => Promise<Page>;
  /** Identifies the data and its filters: a new key empties the cache (sort is added here). */
  queryKey: string;
  sort: SortKey[];
  onSortChange(sort: SortKey[]): void;
  /** Told the number of matching rows (null while unknown) and whether a query is pending. */
  onStatus?(status: { total: number | null; pending: boolean; error: boolean }): void;
  testId: string;
  label: string;
}

type Page = Awaited<ReturnType<FetchPage>>;


/**
 * A virtualised table over paged rows: rows and columns are virtual, pages of rows come on
 * demand as the user scrolls, and very long tables scroll through a scaled space.
 */
export function DataGrid({ fetchPage, queryKey, sort, onSortChange, onStatus, testId, label }: DataGridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const sortKey = JSON.stringify(sort);
  const resetKey = `${queryKey}\u0000${sortKey}`;
  const sortRef = useRef(sort);
  sortRef.current = sort;
  const fetcher = useCallback<FetchPage>((offset, limit) => fetchPage(offset, limit, sortRef.current), [fetchPage]);
  const paged = usePagedRows(fetcher, resetKey);
  const { total, columns, error, pending } = paged;
  const count = total ?? 0;

  const widths = useMemo(() => (columns ?? []).map(columnWidth), [columns]);
  const contentPx = count * ROW_H;
  const scaleRef = useRef(1);

  const rows = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_H,
    overscan: 12,
    useFlushSync: false,
    observeElementOffset: (instance, cb) =>
      observeElementOffset(instance, (offset, isScrolling) => cb(offset * scaleRef.current, isScrolling)),
  });
  const viewportPx = rows.scrollRect?.height ?? 0;
  // The sticky header covers the top of the viewport: the rows see the rest.
  const scale = scrollScale(contentPx, Math.max(0, viewportPx - HEADER_H));
  const GUTTER_W = gutterWidth(count);
  scaleRef.current = scale;

  const cols = useVirtualizer({
    horizontal: true,
    count: widths.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => widths[i] ?? 120,
    overscan: 4,
    useFlushSync: false,
  });
  useEffect(() => cols.measure(), [widths, cols]);

  // A new query starts at the top.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [resetKey]);

  const items = rows.getVirtualItems();
  const first = items.length > 0 ? items[0].index : 0;
  const last = items.length > 0 ? items[items.length - 1].index : -1;
  const { ensure } = paged;
  // Fetch once the view rests briefly, so dragging the scroll bar across millions of rows
  // does not ask for every page on the way.
  useEffect(() => {
    const t = window.setTimeout(() => ensure(first, last), FETCH_SETTLE_MS);
    return () => window.clearTimeout(t);
  }, [ensure, first, last, total, pending]);

  useEffect(() => onStatus?.({ total, pending, error: error !== null }), [onStatus, total, pending, error]);

  const onHeaderClick = (e: MouseEvent, column: string) => onSortChange(nextSort(sort, column, e.shiftKey));

  const virtualOffset = rows.scrollOffset ?? 0;
  // Rows are laid out in the virtual space; shift them back to where the real scroll is.
  const shift = scale === 1 ? 0 : virtualOffset * (1 - 1 / scale);
  const totalWidth = GUTTER_W + cols.getTotalSize();
  const colItems = cols.getVirtualItems();
  const columnList: ColumnSchema[] = columns ?? [];

  return (
    <div
      className={`grid ${pending ? 'grid-pending' : ''}`}
      data-testid={testId}
      role="grid"
      aria-label={label}
      aria-rowcount={count + 1}
      aria-colcount={columnList.length}
      aria-busy={pending}
    >
      {error && (
        <div className="grid-error" role="alert" data-testid={`${testId}-error`}>
          {error.message}
        </div>
      )}
      <div className="grid-scroller" ref={scroller} hidden={error !== null && columns === null}>
        <div className="grid-head" role="row" style={{ width: totalWidth, height: HEADER_H }}>
          <div className="grid-gutter grid-head-gutter" style={{ width: GUTTER_W }}>
            #
          </div>
          {colItems.map((c) => {
            const column = columnList[c.index];
            if (!column) return null;
            const s = sortState(sort, column.name);
            const ariaSort = s ? (s.descending ? 'descending' : 'ascending') : 'none';
            return (
              <div
                key={column.name}
                role="columnheader"
                aria-sort={ariaSort}
                className={`grid-th ${isNumericKind(column.kind) ? 'num' : ''} ${s ? 'sorted' : ''}`}
                style={{ left: GUTTER_W + c.start, width: c.size }}
                title={`${column.name} (${column.dtype}) — click to sort, shift-click to add a sort key`}
                data-column={column.name}
                tabIndex={0}
                onMouseDown={(e) => e.shiftKey && e.preventDefault()}
                onClick={(e) => onHeaderClick(e, column.name)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onSortChange(nextSort(sort, column.name, e.shiftKey));
                  }
                }}
              >
                <span className="grid-th-name">
                  <span className="ellipsis">{column.name}</span>
                  {s && (
                    <span className="sort-mark" aria-hidden="true">
                      {s.descending ? '▼' : '▲'}
                      {sort.length > 1 && <sub>{s.rank}</sub>}
                    </span>
                  )}
                </span>
                <span className="grid-th-type mono">{column.dtype}</span>
              </div>
            );
          })}
        </div>
        <div className="grid-body" style={{ height: Math.min(contentPx, MAX_SCROLL_PX), width: totalWidth }}>
          {items.map((r) => {
            const cells = paged.row(r.index);
            return (
              <div
                key={r.index}
                role="row"
                aria-rowindex={r.index + 2}
                className={`grid-row ${cells ? '' : 'grid-row-loading'} ${r.index % 2 ? 'odd' : ''}`}
                data-row={r.index}
                style={{ height: ROW_H, width: totalWidth, transform: `translateY(${r.start - shift}px)` }}
              >
                <div className="grid-gutter" style={{ width: GUTTER_W }}>
                  {formatInt(r.index + 1)}
                </div>
                {colItems.map((c) => {
                  const column = columnList[c.index];
                  if (!column) return null;
                  const style = { left: GUTTER_W + c.start, width: c.size };
                  if (!cells) {
                    return (
                      <div key={c.index} className="grid-td" style={style}>
                        <span className="cell-skeleton" />
                      </div>
                    );
                  }
                  const text = cellText(cells[c.index]);
                  return (
                    <div
                      key={c.index}
                      role="gridcell"
                      className={`grid-td ${isNumericKind(column.kind) ? 'num' : ''} ${text === null ? 'null' : ''}`}
                      style={style}
                      title={text !== null && text.length > 24 ? text : undefined}
                    >
                      {text ?? 'null'}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
        {!pending && !error && total === 0 && <p className="grid-empty">No rows match.</p>}
      </div>
    </div>
  );
}
