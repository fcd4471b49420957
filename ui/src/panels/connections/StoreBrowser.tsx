import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useClient } from '../../api/client';
import { toApiError } from '../../api/errors';
import type { ApiError, BrowseResult, ConnectionDetails, RemoteEntryInfo } from '../../api/types.gen';
import { FolderIcon } from '../../components/icons';
import { humanBytes, shortDateTime } from '../../lib/format';
import { breadcrumb, entryName, parentPrefix, pathUnder, sortEntries, storeRoot } from './paths';
import { RemotePreview } from './RemotePreview';
import { UploadDialog } from './UploadDialog';

const ROW_H = 28;

/** A file typed by its path (HTTP stores cannot be listed), as a listing entry. */
function typedEntry(details: ConnectionDetails, relative: string): RemoteEntryInfo {
  const path = pathUnder(details.url, relative);
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? null;
  return { path, url: `${storeRoot(details.url)}/${path}`, is_dir: false, bytes: 0, modified: null, format: ext };
}

function EntryList({
  entries,
  selected,
  onOpen,
}: {
  entries: RemoteEntryInfo[];
  selected: string | null;
  onOpen(entry: RemoteEntryInfo): void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_H,
    overscan: 10,
    useFlushSync: false,
  });
  return (
    <div className="store-list" role="table" aria-label="Folders and files" aria-rowcount={entries.length + 1} data-testid="store-list">
      <div className="store-row store-head" role="row">
        <span role="columnheader">Name</span>
        <span role="columnheader" className="num">
          Size
        </span>
        <span role="columnheader">Modified</span>
        <span role="columnheader">Format</span>
      </div>
      <div className="store-scroller" ref={scroller}>
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((v) => {
            const e = entries[v.index];
            const openable = e.is_dir || e.format !== null;
            return (
              <div
                key={e.path}
                role="row"
                aria-rowindex={v.index + 2}
                className={`store-row ${e.is_dir ? 'store-dir' : 'store-file'} ${openable ? 'openable' : 'unknown'} ${selected === e.path ? 'active' : ''}`}
                style={{ height: ROW_H, transform: `translateY(${v.start}px)` }}
                data-testid={`store-entry-${entryName(e.path)}`}
                tabIndex={openable ? 0 : -1}
                title={openable ? e.url : `${e.url} — not a data format Assay reads`}
                onClick={() => openable && onOpen(e)}
                onKeyDown={(ev) => {
                  if (openable && (ev.key === 'Enter' || ev.key === ' ')) {
                    ev.preventDefault();
                    onOpen(e);
                  }
                }}
              >
                <span role="cell" className="store-name">
                  {e.is_dir ? <FolderIcon /> : <span className="store-file-mark" aria-hidden="true" />}
                  <span className="ellipsis">{entryName(e.path)}</span>
                </span>
                <span role="cell" className="num muted">
                  {e.is_dir ? '' : humanBytes(e.bytes)}
                </span>
                <span role="cell" className="muted">
                  {e.modified ? shortDateTime(e.modified) : ''}
                </span>
                <span role="cell">{e.is_dir ? <span className="muted">folder</span> : e.format ? <span className="kind-badge kind-other">{e.format}</span> : <span className="muted">—</span>}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/**
 * An object store's folders and files under the connection's URL: breadcrumb, a virtual list,
 * a preview of a chosen file (which can become a data set), and uploads into the folder shown.
 */
export function StoreBrowser({ details }: { details: ConnectionDetails }) {
  const client = useClient();
  const listable = details.kind !== 'http';
  const [prefix, setPrefix] = useState<string | null>(null);
  const [listing, setListing] = useState<BrowseResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [reload, setReload] = useState(0);
  const [chosen, setChosen] = useState<RemoteEntryInfo | null>(null);
  const [typed, setTyped] = useState('');
  const [uploading, setUploading] = useState(false);

  useEffect(() => {
    if (!listable) return;
    let live = true;
    setLoading(true);
    setError(null);
    client.call('browse_connection', prefix === null ? { connection: details.name } : { connection: details.name, prefix }).then(
      (r) => {
        if (!live) return;
        setListing({ ...r, entries: sortEntries(r.entries) });
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setListing(null);
        setError(toApiError(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [client, details.name, details.url, listable, prefix, reload]);

  const go = useCallback((p: string | null) => {
    setPrefix(p);
    setChosen(null);
  }, []);

  const open = (e: RemoteEntryInfo) => {
    if (e.is_dir) go(e.path);
    else setChosen(e);
  };

  const openTyped = (ev: FormEvent) => {
    ev.preventDefault();
    const rel = typed.trim();
    if (rel) setChosen(typedEntry(details, rel));
  };

  const crumbs = breadcrumb(details.url, prefix);
  const up = parentPrefix(details.url, prefix);
  const here = prefix ?? pathUnder(details.url, '');

  return (
    <div className={`store-browser ${chosen ? 'with-preview' : ''}`} data-testid="store-browser">
      <div className="browse-toolbar store-toolbar">
        <nav className="crumbs" aria-label="Folder" data-testid="store-crumbs">
          {crumbs.map((c, i) => (
            <span key={`${i}-${c.label}`} className="crumb">
              {i > 0 && <span className="crumb-sep">/</span>}
              {i === crumbs.length - 1 ? (
                <span className="crumb-here mono" aria-current="location">
                  {c.label}
                </span>
              ) : (
                <button type="button" className="small link-button mono" onClick={() => go(c.prefix)} data-testid={`crumb-${i}`}>
                  {c.label}
                </button>
              )}
            </span>
          ))}
        </nav>
        {listable && (
          <>
            <button type="button" className="small" disabled={crumbs.length < 2} onClick={() => go(up)} title="Up one folder">
              Up
            </button>
            <button type="button" className="small" onClick={() => setReload((n) => n + 1)} disabled={loading} data-testid="store-refresh">
              Refresh
            </button>
          </>
        )}
        <span className="topbar-spacer" />
        <form className="store-open" onSubmit={openTyped}>
          <input
            className="text-input mono"
            aria-label="File path under the connection URL"
            placeholder={listable ? 'or open a path…' : 'path/to/file.csv'}
            value={typed}
            spellCheck={false}
            onChange={(e) => setTyped(e.target.value)}
            data-testid="store-path"
          />
          <button type="submit" className="small" disabled={!typed.trim()} data-testid="store-path-open">
            Open
          </button>
        </form>
        <button type="button" className="small" onClick={() => setUploading(true)} data-testid="upload-open">
          Upload…
        </button>
      </div>
      <div className="store-body">
        {listable ? (
          <>
            {error && (
              <div className="inline-error store-error" role="alert" data-testid="store-error">
                {error.message}
              </div>
            )}
            {loading && !listing && <p className="empty store-note">Listing…</p>}
            {listing && listing.entries.length === 0 && !loading && (
              <p className="empty store-note" data-testid="store-empty">
                Nothing under <span className="mono">{listing.url}</span>.
              </p>
            )}
            {listing && listing.entries.length > 0 && <EntryList entries={listing.entries} selected={chosen?.path ?? null} onOpen={open} />}
          </>
        ) : (
          <p className="empty store-note">
            HTTP servers cannot list their folders: type a file’s path under <span className="mono">{details.url}</span> and open it.
          </p>
        )}
        {chosen && <RemotePreview key={chosen.url} connection={details.name} entry={chosen} onClose={() => setChosen(null)} />}
      </div>
      {uploading && (
        <UploadDialog
          connection={details.name}
          destination={here}
          destinationUrl={`${storeRoot(details.url)}/${here}`.replace(/\/+$/, '')}
          onUploaded={() => setReload((n) => n + 1)}
          onClose={() => setUploading(false)}
        />
      )}
    </div>
  );
}
