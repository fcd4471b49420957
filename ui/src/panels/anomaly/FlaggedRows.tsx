import { useEffect, useState } from 'react';
import { useClient } from '../../api/client';
import type { JsonValue, Page } from '../../api/types.gen';
import { cellText, formatInt, formatNumber } from '../../lib/format';
import { useDebounced } from '../../lib/useDebounced';

const PAGE = 100;

/** Scores and other fractions shortened; everything else as the grid shows it. */
function cell(v: JsonValue): string {
  if (typeof v === 'number' && !Number.isInteger(v)) return formatNumber(v);
  return cellText(v) ?? '∅';
}

/**
 * Rows at or above the threshold (or the brushed points), highest score first, with every
 * column; a click selects the row for its explanation and in the projection.
 */
export function FlaggedRows({ runId, threshold, only, selected, onSelect }: { runId: string; threshold: number; only: number[] | null; selected: number | null; onSelect(row: number): void }) {
  const client = useClient();
  const cut = useDebounced(threshold, 200);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setOffset(0), [cut, only]);

  useEffect(() => {
    let live = true;
    const request = only ? { id: runId, threshold: -1e300, offset, limit: PAGE, rows: only } : { id: runId, threshold: cut, offset, limit: PAGE };
    client.call('anomaly_rows', request).then(
      (p) => {
        if (!live) return;
        setPage(p);
        setError(null);
      },
      (e: { message?: string }) => live && setError(e.message ?? String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, runId, cut, only, offset]);

  if (error) return <p className="error-text small-text">{error}</p>;
  if (!page) return <p className="empty">Loading rows…</p>;
  const rowCol = page.columns.findIndex((c) => c.name === 'row');
  const last = Math.min(page.offset + page.rows.length, page.total_rows);
  return (
    <div className="flagged-rows" data-testid="flagged-rows">
      <div className="toolbar small-text">
        <span data-testid="flagged-total">
          {only ? `${formatInt(page.total_rows)} selected rows` : `${formatInt(page.total_rows)} rows flagged`} · {page.rows.length ? `${formatInt(page.offset + 1)}–${formatInt(last)}` : 'none'}
        </span>
        <button type="button" className="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          ‹ Prev
        </button>
        <button type="button" className="small" disabled={last >= page.total_rows} onClick={() => setOffset(offset + PAGE)}>
          Next ›
        </button>
      </div>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              {page.columns.map((c) => (
                <th key={c.name}>{c.name === 'anomaly_score_normalized' ? 'normalized' : c.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r) => {
              const row = Number(r[rowCol]);
              return (
                <tr key={row} className={`clickable ${row === selected ? 'row-selected' : ''}`} onClick={() => onSelect(row)} data-testid="flagged-row">
                  {r.map((v, i) => (
                    <td key={i} className="mono">
                      {cell(v)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
