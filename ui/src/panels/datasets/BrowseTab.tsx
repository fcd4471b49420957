import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useClient } from '../../api/client';
import { toApiError } from '../../api/errors';
import type { ApiError, DatasetSchema, FilterOp, SortKey } from '../../api/types.gen';
import { CloseIcon } from '../../components/icons';
import { formatInt, formatRows } from '../../lib/format';
import { chipLabel, chipsToFilters, FILTER_OPS, needsValue, opsFor, parseFilterValue, type FilterChip } from './filters';
import { DataGrid } from './grid/DataGrid';
import { ReadOptionsDialog } from './ReadOptionsDialog';
import { useDebounced } from '../../lib/useDebounced';

const SEARCH_DEBOUNCE_MS = 300;

function FilterBuilder({ schema, onAdd }: { schema: DatasetSchema; onAdd: (chip: FilterChip) => void }) {
  const [column, setColumn] = useState(schema.columns[0]?.name ?? '');
  const [op, setOp] = useState<FilterOp>('eq');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const kind = schema.columns.find((c) => c.name === column)?.kind;
  const ops = opsFor(kind);

  useEffect(() => {
    if (!ops.includes(op)) setOp(ops[0]);
  }, [ops, op]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!column) return;
    if (needsValue(op)) {
      const parsed = parseFilterValue(value, kind, op);
      if ('error' in parsed) {
        setProblem(parsed.error);
        return;
      }
    }
    onAdd({ column, op, value: needsValue(op) ? value : '' });
    setValue('');
    setProblem(null);
  };

  return (
    <form className="filter-builder" onSubmit={submit} data-testid="filter-builder">
      <select aria-label="Filter column" value={column} onChange={(e) => setColumn(e.target.value)} data-testid="filter-column">
        {schema.columns.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
      <select aria-label="Filter operator" value={op} onChange={(e) => setOp(e.target.value as FilterOp)} data-testid="filter-op">
        {FILTER_OPS.filter((o) => ops.includes(o.op)).map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {needsValue(op) && (
        <input
          className={`text-input filter-value ${problem ? 'invalid' : ''}`}
          aria-label="Filter value"
          aria-invalid={problem !== null}
          placeholder={kind === 'numeric' ? 'number' : kind === 'boolean' ? 'true / false' : 'value'}
          value={value}
          title={problem ?? undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setProblem(null);
          }}
          data-testid="filter-value"
        />
      )}
      <button type="submit" className="small" data-testid="filter-add">
        Add filter
      </button>
      {problem && <span className="error-text small-text">{problem}</span>}
    </form>
  );
}

/** Browse tab: the data set in the virtual grid, with sort, filters and search in the engine. */
export function BrowseTab({ dataset }: { dataset: string }) {
  const client = useClient();
  const [schema, setSchema] = useState<DatasetSchema | null>(null);
  const [schemaError, setSchemaError] = useState<ApiError | null>(null);
  const [chips, setChips] = useState<FilterChip[]>([]);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SortKey[]>([]);
  const [status, setStatus] = useState<{ total: number | null; pending: boolean; error: boolean }>({ total: null, pending: true, error: false });
  const [editingOptions, setEditingOptions] = useState(false);
  const [readVersion, setReadVersion] = useState(0);
  const debouncedSearch = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);

  useEffect(() => {
    let live = true;
    setSchema(null);
    setSchemaError(null);
    client.call('dataset_schema', { name: dataset }).then(
      (s) => live && setSchema(s),
      (e: unknown) => live && setSchemaError(toApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, dataset]);

  const filters = useMemo(() => chipsToFilters(chips, schema?.columns ?? []), [chips, schema]);
  const queryKey = JSON.stringify([dataset, filters, debouncedSearch, readVersion]);

  const fetchPage = useCallback(
    (offset: number, limit: number, sortKeys: SortKey[]) =>
      client.call('dataset_page', {
        dataset,
        offset,
        limit,
        sort: sortKeys,
        filters,
        ...(debouncedSearch ? { search: debouncedSearch } : {}),
      }),
    [client, dataset, filters, debouncedSearch],
  );

  const narrowed = filters.length > 0 || debouncedSearch !== '';

  return (
    <div className="browse" data-testid="browse">
      <div className="browse-toolbar">
        <input
          className="text-input search"
          type="search"
          placeholder="Search all columns…"
          aria-label="Search rows"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="search-input"
        />
        {schema && <FilterBuilder schema={schema} onAdd={(chip) => setChips((prev) => [...prev, chip])} />}
        <span className="topbar-spacer" />
        {schema?.csv && (
          <button type="button" className="small" onClick={() => setEditingOptions(true)} data-testid="read-options">
            Read options…
          </button>
        )}
        <span className="browse-total" data-testid="browse-total" aria-live="polite">
          {status.total === null ? (status.error ? '' : 'Loading…') : formatRows(status.total)}
          {status.total !== null && narrowed && schema && <span className="muted"> of {formatInt(schema.rows)}</span>}
          {status.pending && status.total !== null && <span className="busy inline-busy" aria-label="Loading" />}
        </span>
      </div>
      {(chips.length > 0 || sort.length > 0) && (
        <div className="chips" data-testid="filter-chips">
          {chips.map((chip, i) => (
            <span key={`${i}-${chipLabel(chip)}`} className="chip" data-testid={`filter-chip-${i}`}>
              <span className="mono">{chipLabel(chip)}</span>
              <button
                type="button"
                className="icon-button small"
                aria-label={`Remove filter ${chipLabel(chip)}`}
                onClick={() => setChips((prev) => prev.filter((_, j) => j !== i))}
              >
                <CloseIcon />
              </button>
            </span>
          ))}
          {chips.length > 1 && (
            <button type="button" className="small link-button" onClick={() => setChips([])}>
              Clear filters
            </button>
          )}
          {sort.length > 0 && (
            <span className="sort-summary muted">
              sorted by {sort.map((s) => `${s.column} ${s.descending ? '↓' : '↑'}`).join(', ')}
              <button type="button" className="small link-button" onClick={() => setSort([])}>
                Clear sort
              </button>
            </span>
          )}
        </div>
      )}
      {schemaError && (
        <div className="inline-error" role="alert">
          {schemaError.message}
        </div>
      )}
      {editingOptions && schema?.csv && (
        <ReadOptionsDialog
          dataset={dataset}
          csv={schema.csv}
          onClose={() => setEditingOptions(false)}
          onApplied={(next) => {
            setSchema(next);
            setChips([]);
            setSort([]);
            setReadVersion((v) => v + 1);
            setEditingOptions(false);
          }}
        />
      )}
      <DataGrid
        testId="browse-table"
        label={`Rows of ${dataset}`}
        fetchPage={fetchPage}
        queryKey={queryKey}
        sort={sort}
        onSortChange={setSort}
        onStatus={setStatus}
      />
    </div>
  );
}
