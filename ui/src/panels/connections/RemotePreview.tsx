import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useClient } from '../../api/client';
import { toApiError } from '../../api/errors';
import type { Page, RemoteEntryInfo, SortKey } from '../../api/types.gen';
import { CloseIcon } from '../../components/icons';
import { formatInt } from '../../lib/format';
import { useApp } from '../../state/app';
import { requestDataset } from '../datasets/DatasetsPanel';
import { DataGrid } from '../datasets/grid/DataGrid';
import { entryName, fileStem } from './paths';
import { previewPage } from './preview';

const PREVIEW_ROWS = 200;

/** The first rows of a remote file in the data grid, and "Add as data set". */
export function RemotePreview({ connection, entry, onClose }: { connection: string; entry: RemoteEntryInfo; onClose(): void }) {
  const client = useClient();
  const { actions, showPanel } = useApp();
  const [sort, setSort] = useState<SortKey[]>([]);
  const [loaded, setLoaded] = useState<Page | null>(null);
  const [name, setName] = useState(() => fileStem(entry.path));
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);

  // One request per file: the grid pages and sorts through its rows in the browser.
  const preview = useMemo(() => client.call('preview_remote', { connection, url: entry.url, rows: PREVIEW_ROWS }), [client, connection, entry.url]);
  useEffect(() => {
    let live = true;
    preview.then(
      (p) => live && setLoaded(p),
      () => undefined, // the grid shows the error
    );
    return () => {
      live = false;
    };
  }, [preview]);
  const fetchPage = useCallback(
    async (offset: number, limit: number, sortKeys: SortKey[]) => previewPage(await preview, offset, limit, sortKeys),
    [preview],
  );

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) return;
    setAdding(true);
    setAddError(null);
    try {
      await client.call('add_dataset', { path: entry.url, name: n, connection });
      setAdded(n);
      await actions.refreshProject();
    } catch (err) {
      setAddError(toApiError(err).message);
    } finally {
      setAdding(false);
    }
  };

  return (
    <section className="remote-preview" aria-label={`Preview of ${entryName(entry.path)}`} data-testid="remote-preview">
      <div className="browse-toolbar preview-bar">
        <span className="preview-title">
          <span className="ellipsis mono" title={entry.url}>
            {entryName(entry.path)}
          </span>
          {loaded && (
            <span className="muted small-text" data-testid="preview-count">
              {loaded.rows.length < loaded.total_rows
                ? `first ${formatInt(loaded.rows.length)} of ${formatInt(loaded.total_rows)} rows`
                : `${formatInt(loaded.total_rows)} rows`}
              {` · ${loaded.columns.length} columns`}
            </span>
          )}
        </span>
        <span className="topbar-spacer" />
        {added ? (
          <span className="small-text" data-testid="dataset-added">
            <span className="ok-text">Added data set “{added}”.</span>{' '}
            <button
              type="button"
              className="small"
              onClick={() => {
                requestDataset(added);
                showPanel('datasets');
              }}
              data-testid="open-dataset"
            >
              Open in Datasets
            </button>
          </span>
        ) : (
          <form className="add-remote" onSubmit={(e) => void add(e)}>
            <label className="field-label small-text" htmlFor="remote-dataset-name">
              Name
            </label>
            <input
              id="remote-dataset-name"
              className="text-input"
              value={name}
              spellCheck={false}
              onChange={(e) => {
                setName(e.target.value);
                setAddError(null);
              }}
              data-testid="remote-dataset-name"
            />
            <button type="submit" className="small primary" disabled={adding || !name.trim()} data-testid="add-remote-dataset" title="Add the file to the project: profiling and rules read it in place">
              Add as data set
            </button>
          </form>
        )}
        <button type="button" className="icon-button small" aria-label="Close the preview" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      {addError && (
        <div className="inline-error preview-error" role="alert" data-testid="add-remote-error">
          {addError}
        </div>
      )}
      <DataGrid testId="preview-table" label={`First rows of ${entryName(entry.path)}`} fetchPage={fetchPage} queryKey={entry.url} sort={sort} onSortChange={setSort} />
    </section>
  );
}
