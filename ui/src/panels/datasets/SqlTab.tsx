import { useCallback, useState, type KeyboardEvent } from 'react';
import { useClient } from '../../api/client';
import type { SortKey } from '../../api/types.gen';
import { formatRows } from '../../lib/format';
import { DataGrid } from './grid/DataGrid';

export interface SqlState {
  /** The editor's text. */
  text: string;
  /** The query last run, with a counter so running the same text again re-runs it. */
  run: { sql: string; n: number } | null;
}

/** SQL tab: a polars SQL query over every data set of the project, results in the grid. */
export function SqlTab({ state, onChange, tables }: { state: SqlState; onChange: (s: SqlState) => void; tables: string[] }) {
  const client = useClient();
  const [sort, setSort] = useState<SortKey[]>([]);
  const [status, setStatus] = useState<{ total: number | null; pending: boolean; error: boolean }>({ total: null, pending: false, error: false });
  const { run } = state;

  const execute = () => {
    const sql = state.text.trim();
    if (!sql) return;
    setSort([]);
    onChange({ ...state, run: { sql, n: (run?.n ?? 0) + 1 } });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      execute();
    }
  };

  const fetchPage = useCallback(
    (offset: number, limit: number, sortKeys: SortKey[]) =>
      client.call('sql_query', { sql: run?.sql ?? '', offset, limit, sort: sortKeys, filters: [] }),
    [client, run],
  );

  return (
    <div className="sql" data-testid="sql-tab">
      <div className="sql-editor">
        <textarea
          className="text-input mono sql-input"
          aria-label="SQL query"
          spellCheck={false}
          rows={5}
          value={state.text}
          placeholder="SELECT * FROM my_dataset LIMIT 100"
          onChange={(e) => onChange({ ...state, text: e.target.value })}
          onKeyDown={onKeyDown}
          data-testid="sql-input"
        />
        <div className="sql-side">
          <button type="button" className="primary" onClick={execute} disabled={!state.text.trim()} data-testid="sql-run" title="Run (Ctrl/⌘+Enter)">
            Run
          </button>
          <span className="muted small-text">Ctrl/⌘+Enter</span>
          {tables.length > 0 && (
            <div className="sql-tables muted small-text" title="Each data set is a table named after it">
              Tables: {tables.map((t) => (
                <code key={t} className="table-name">
                  {t}
                </code>
              ))}
            </div>
          )}
        </div>
      </div>
      {run ? (
        <>
          {!status.error && (
            <div className="sql-status" data-testid="sql-total" aria-live="polite">
              {status.total === null || status.pending ? 'Running…' : formatRows(status.total)}
            </div>
          )}
          <DataGrid
            testId="sql-table"
            label="Query result"
            fetchPage={fetchPage}
            queryKey={`${run.n}\u0000${run.sql}`}
            sort={sort}
            onSortChange={setSort}
            onStatus={setStatus}
          />
        </>
      ) : (
        <p className="empty">Write a query over the project’s data sets and run it.</p>
      )}
    </div>
  );
}
