import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { RunRow } from '../../api/types.gen';
import { formatInt } from '../../lib/format';
import { cellOf, columnId, sameColumn, type RunColumn, type RunSort } from './query';
import type { PagedRuns } from './usePagedRuns';

const ROW_H = 26;
const HEAD_H = 34;
const CHECK_W = 34;
const NAME_W = 210;
const FETCH_SETTLE_MS = 50;

/** Attribute columns shown before the chosen metrics, params and tags. */
export const ATTR_COLUMNS: RunColumn[] = [
  { kind: 'attr', key: 'status' },
  { kind: 'attr', key: 'start_time' },
  { kind: 'attr', key: 'duration' },
  { kind: 'attr', key: 'user_id' },
];
const ATTR_TITLE: Record<string, string> = { status: 'Status', start_time: 'Created', duration: 'Duration', user_id: 'User', run_name: 'Run' };
/** The duration is computed here, not a search field. */
const UNSORTABLE = new Set(['attr:duration']);

function widthOf(c: RunColumn): number {
  if (c.kind === 'attr') return c.key === 'start_time' ? 160 : c.key === 'status' ? 90 : 96;
  return Math.round(Math.min(220, Math.max(c.kind === 'metric' ? 96 : 110, c.key.length * 7.2 + 30)));
}

function headerTitle(c: RunColumn): string {
  return c.kind === 'attr' ? (ATTR_TITLE[c.key] ?? c.key) : c.key;
}

export interface RunsTableProps {
  runs: PagedRuns;
  columns: RunColumn[];
  sort: RunSort[];
  onSort(column: RunColumn): void;
  selected: ReadonlySet<string>;
  onToggle(runId: string, on: boolean): void;
  onOpen(row: RunRow): void;
  /** Experiment names when several experiments are shown. */
  experimentName?: (id: string) => string | undefined;
  /** A new query (experiments, filter, sort): the table scrolls back to the top. */
  queryKey: string;
}

/**
 * The runs of the chosen experiments: rows and columns are virtual, pages of 200 runs come
 * from the engine as the view needs them.
 */
export function RunsTable({ runs, columns, sort, onSort, selected, onToggle, onOpen, experimentName, queryKey }: RunsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const all = useMemo(() => [...ATTR_COLUMNS, ...columns], [columns]);
  const widths = useMemo(() => all.map(widthOf), [all]);
  const count = runs.total ?? 0;
  const lead = CHECK_W + NAME_W;

  const rows = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_H, overscan: 14, useFlushSync: false });
  const cols = useVirtualizer({ horizontal: true, count: all.length, getScrollElement: () => scroller.current, estimateSize: (i) => widths[i] ?? 110, overscan: 3, useFlushSync: false });
  useEffect(() => cols.measure(), [widths, cols]);

  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [queryKey]);

  const items = rows.getVirtualItems();
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index : -1;
  const { ensure, total } = runs;
  useEffect(() => {
    const t = window.setTimeout(() => ensure(first, last), FETCH_SETTLE_MS);
    return () => window.clearTimeout(t);
  }, [ensure, first, last, total]);

  const colItems = cols.getVirtualItems();
  const width = lead + cols.getTotalSize();
  const sortOf = (c: RunColumn) => sort.find((s) => sameColumn(s.column, c));
  const nameSort = sortOf({ kind: 'attr', key: 'run_name' });

  return (
    <div className={`grid runs-grid ${runs.pending ? 'grid-pending' : ''}`} data-testid="runs-table" role="grid" aria-label="Runs" aria-rowcount={count + 1} aria-busy={runs.pending}>
      <div className="grid-scroller" ref={scroller} data-testid="runs-scroller">
        <div className="grid-head" role="row" style={{ width, height: HEAD_H }}>
          <div className="runs-lead runs-lead-head" style={{ width: lead, height: HEAD_H }}>
            <span className="runs-check" style={{ width: CHECK_W }} />
            <button type="button" className={`runs-th-name ${nameSort ? 'sorted' : ''}`} onClick={() => onSort({ kind: 'attr', key: 'run_name' })} aria-sort={nameSort ? (nameSort.descending ? 'descending' : 'ascending') : 'none'}>
              Run {nameSort && <span className="sort-mark">{nameSort.descending ? '▼' : '▲'}</span>}
            </button>
          </div>
          {colItems.map((ci) => {
            const c = all[ci.index];
            if (!c) return null;
            const s = sortOf(c);
            const sortable = !UNSORTABLE.has(columnId(c));
            return (
              <div
                key={columnId(c)}
                role="columnheader"
                aria-sort={s ? (s.descending ? 'descending' : 'ascending') : 'none'}
                className={`grid-th ${c.kind === 'metric' ? 'num' : ''} ${s ? 'sorted' : ''} ${sortable ? '' : 'unsortable'}`}
                style={{ left: lead + ci.start, width: ci.size }}
                title={sortable ? `${c.kind === 'attr' ? 'attribute' : c.kind} ${c.key}: click to sort` : headerTitle(c)}
                data-column={columnId(c)}
                tabIndex={sortable ? 0 : -1}
                onClick={() => sortable && onSort(c)}
                onKeyDown={(e) => {
                  if (sortable && (e.key === 'Enter' || e.key === ' ')) {
                    e.preventDefault();
                    onSort(c);
                  }
                }}
              >
                <span className="grid-th-name">
                  <span className="ellipsis">{headerTitle(c)}</span>
                  {s && <span className="sort-mark">{s.descending ? '▼' : '▲'}</span>}
                </span>
                <span className={`grid-th-type run-col-${c.kind}`}>{c.kind === 'attr' ? '' : c.kind}</span>
              </div>
            );
          })}
        </div>
        <div className="grid-body" style={{ height: count * ROW_H, width }}>
          {items.map((r) => {
            const row = runs.row(r.index);
            const id = row?.info.run_id;
            const isSel = id !== undefined && selected.has(id);
            return (
              <div
                key={r.index}
                role="row"
                aria-rowindex={r.index + 2}
                className={`grid-row runs-row ${row ? '' : 'grid-row-loading'} ${r.index % 2 ? 'odd' : ''} ${isSel ? 'selected' : ''}`}
                data-row={r.index}
                data-testid={row ? 'run-row' : undefined}
                style={{ height: ROW_H, width, transform: `translateY(${r.start}px)` }}
                onClick={() => row && onOpen(row)}
              >
                <div className="runs-lead" style={{ width: lead }}>
                  <label className="runs-check" style={{ width: CHECK_W }} onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" disabled={!row} checked={isSel} onChange={(e) => id && onToggle(id, e.target.checked)} aria-label={`Select run ${row?.info.run_name ?? ''}`} data-testid="run-check" />
                  </label>
                  <span className="runs-name ellipsis" style={{ width: NAME_W }} title={row ? `${row.info.run_name} (${row.info.run_id})${experimentName ? ` · ${experimentName(row.info.experiment_id) ?? ''}` : ''}` : undefined}>
                    {row ? (
                      <>
                        <span className="runs-index muted">{formatInt(r.index + 1)}</span>
                        <span data-testid="run-name">{row.info.run_name || row.info.run_id.slice(0, 8)}</span>
                        {experimentName && <span className="muted runs-exp">{experimentName(row.info.experiment_id)}</span>}
                      </>
                    ) : (
                      <span className="cell-skeleton" />
                    )}
                  </span>
                </div>
                {colItems.map((ci) => {
                  const c = all[ci.index];
                  if (!c) return null;
                  const style = { left: lead + ci.start, width: ci.size };
                  if (!row) {
                    return (
                      <div key={ci.index} className="grid-td" style={style}>
                        <span className="cell-skeleton" />
                      </div>
                    );
                  }
                  if (c.kind === 'attr' && c.key === 'status') {
                    return (
                      <div key={ci.index} className="grid-td" style={style}>
                        <RunStatusPill status={row.info.status} />
                      </div>
                    );
                  }
                  const text = cellOf(row, c);
                  return (
                    <div key={ci.index} role="gridcell" className={`grid-td ${c.kind === 'metric' ? 'num' : ''}`} style={style} title={text.length > 14 ? text : undefined} data-cell={columnId(c)}>
                      {text}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
        {!runs.pending && !runs.error && total === 0 && <p className="grid-empty">No runs match.</p>}
      </div>
    </div>
  );
}

export function RunStatusPill({ status }: { status: string }) {
  const cls = status === 'FINISHED' ? 'pill-succeeded' : status === 'FAILED' || status === 'KILLED' ? 'pill-failed' : status === 'RUNNING' ? 'pill-running' : '';
  return <span className={`pill ${cls}`}>{status.toLowerCase()}</span>;
}
