import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../../api/client';
import { HttpTransport } from '../../api/http';
import type { ArtifactPreview, FileInfo } from '../../api/types.gen';
import { downloadBlob } from '../../lib/download';
import { cellText, humanBytes } from '../../lib/format';
import { useApp } from '../../state/app';
import { archiveName, artifactUrl, baseName, runArchiveUrl, runArtifactUrl } from './artifactPaths';
import { useArtifactSaver } from './useArtifactSaver';

interface Folder {
  files: FileInfo[] | null;
  error?: string;
}

/**
 * A run's artifacts as a tree (folders load when expanded) with a preview of the chosen file;
 * in a browser against `assay serve` each file links to its download and each folder to a zip of
 * it, in the desktop app each file and folder can be saved to a folder.
 */
export function ArtifactTree({ runId, root = '', preview = true, testId = 'artifacts' }: { runId: string; root?: string; preview?: boolean; testId?: string }) {
  const client = useClient();
  const { reportError } = useApp();
  const [folders, setFolders] = useState<Map<string, Folder>>(new Map());
  const [open, setOpen] = useState<Set<string>>(new Set([root]));
  const [rootUri, setRootUri] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const saver = useArtifactSaver(runId);
  const desktop = client.kind === 'tauri';

  const load = useCallback(
    (path: string) => {
      setFolders((m) => new Map(m).set(path, { files: null }));
      client.call('run_artifacts', { run_id: runId, path }).then(
        (r) => {
          setRootUri(r.root_uri);
          setFolders((m) => new Map(m).set(path, { files: r.files }));
        },
        (e: { message?: string }) => setFolders((m) => new Map(m).set(path, { files: [], error: e.message ?? String(e) })),
      );
    },
    [client, runId],
  );

  useEffect(() => {
    setFolders(new Map());
    setOpen(new Set([root]));
    setChosen(null);
    load(root);
  }, [load, root]);

  const toggle = (path: string) => {
    const next = new Set(open);
    if (next.has(path)) next.delete(path);
    else {
      next.add(path);
      if (!folders.has(path)) load(path);
    }
    setOpen(next);
  };

  const http = client.transport instanceof HttpTransport ? client.transport : null;
  const hasFiles = (folders.get(root)?.files?.length ?? 0) > 0;
  /** With a token a plain link would get 401: fetch the file with the token instead. */
  const fetchWithToken = (path: string, name: string) => (e: React.MouseEvent) => {
    if (!http?.authenticated) return;
    e.preventDefault();
    http.fetchFile(path).then((blob) => downloadBlob(name, blob), reportError);
  };
  const renderFolder = (path: string, depth: number): React.ReactNode => {
    const f = folders.get(path);
    if (!f || f.files === null) return <li className="muted small-text" style={{ paddingLeft: depth * 14 + 6 }}>Loading…</li>;
    if (f.error) return <li className="error-text small-text" style={{ paddingLeft: depth * 14 + 6 }}>{f.error}</li>;
    if (f.files.length === 0 && depth === 0) return <li className="empty small-text">No artifacts logged.</li>;
    return f.files.map((file) => {
      const href = http && rootUri !== null ? (artifactUrl(rootUri, file.path) ?? runArtifactUrl(runId, file.path)) : null;
      return (
        <li key={file.path}>
          <div className={`art-item ${chosen === file.path ? 'active' : ''}`} style={{ paddingLeft: depth * 14 + 4 }}>
            {file.is_dir ? (
              <button type="button" className="art-name link-like" onClick={() => toggle(file.path)} aria-expanded={open.has(file.path)} data-testid="artifact-folder">
                <span className="art-caret">{open.has(file.path) ? '▾' : '▸'}</span> {baseName(file.path)}/
              </button>
            ) : (
              <button type="button" className="art-name link-like" onClick={() => setChosen(file.path)} data-testid="artifact-file" title={file.path}>
                <span className="art-caret" /> {baseName(file.path)}
              </button>
            )}
            {!file.is_dir && <span className="muted small-text art-size">{humanBytes(file.file_size ?? 0)}</span>}
            {desktop && (
              <button type="button" className={`small-text art-dl link-button ${file.is_dir ? 'art-push' : ''}`} onClick={() => void saver.save(file.path)} disabled={saver.running} title={`Save ${file.path} to a folder`} data-testid="artifact-save">
                save…
              </button>
            )}
            {http && file.is_dir && (
              <a
                className="small-text art-dl art-push"
                href={http.url(runArchiveUrl(runId, file.path))}
                download={archiveName(runId, file.path)}
                onClick={fetchWithToken(runArchiveUrl(runId, file.path), archiveName(runId, file.path))}
                data-testid="artifact-zip"
              >
                zip
              </a>
            )}
            {href && !file.is_dir && (
              <a
                className="small-text art-dl"
                href={http?.url(href)}
                download={baseName(file.path)}
                onClick={fetchWithToken(href, baseName(file.path))}
                data-testid="artifact-download"
              >
                download
              </a>
            )}
          </div>
          {file.is_dir && open.has(file.path) && <ul className="art-tree">{renderFolder(file.path, depth + 1)}</ul>}
        </li>
      );
    });
  };

  return (
    <div className={`artifacts ${preview ? 'with-preview' : ''}`} data-testid={testId}>
      <div className="art-side">
        {rootUri && (
          <p className="mono small-text muted ellipsis" title={rootUri}>
            {rootUri}
            {root ? `/${root}` : ''}
          </p>
        )}
        <ul className="art-tree">{renderFolder(root, 0)}</ul>
        {http && hasFiles && (
          <div className="art-save small-text">
            <a
              className="art-dl"
              href={http.url(runArchiveUrl(runId, root))}
              download={archiveName(runId, root)}
              onClick={fetchWithToken(runArchiveUrl(runId, root), archiveName(runId, root))}
              data-testid="artifacts-zip-all"
            >
              {root ? `Download ${baseName(root)}/ as .zip` : 'Download all as .zip'}
            </a>
          </div>
        )}
        {desktop && (
          <div className="art-save small-text">
            <button type="button" onClick={() => void saver.save(root)} disabled={saver.running || !hasFiles} data-testid="artifacts-save-all">
              {root ? `Save ${baseName(root)}/ to a folder…` : 'Save all to a folder…'}
            </button>
            {saver.status && (
              <p className={saver.failed ? 'error-text' : 'muted'} data-testid="artifacts-save-status">
                {saver.status}
              </p>
            )}
          </div>
        )}
      </div>
      {preview && <div className="art-preview">{chosen ? <Preview runId={runId} path={chosen} /> : <p className="empty small-text">Choose a file to preview it.</p>}</div>}
    </div>
  );
}

function Preview({ runId, path }: { runId: string; path: string }) {
  const client = useClient();
  const [state, setState] = useState<{ path: string; preview: ArtifactPreview | null; error: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    client.call('preview_artifact', { run_id: runId, path }).then(
      (preview) => live && setState({ path, preview, error: null }),
      (e: { message?: string }) => live && setState({ path, preview: null, error: e.message ?? String(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, runId, path]);
  if (!state || state.path !== path) return <p className="empty small-text">Loading {baseName(path)}…</p>;
  if (state.error || !state.preview) return <p className="error-text small-text">{state.error}</p>;
  const p = state.preview;
  return (
    <div className="art-preview-body" data-testid="artifact-preview">
      <div className="muted small-text mono">{path}</div>
      {p.kind === 'text' && (
        <>
          <pre className="art-text">{p.text}</pre>
          {p.truncated && <p className="muted small-text">Only the first 256 kB are shown.</p>}
        </>
      )}
      {p.kind === 'image' && <img className="art-image" src={p.data_url} alt={path} />}
      {p.kind === 'table' && (
        <div className="table-scroll">
          <table className="table compact small-table">
            <thead>
              <tr>
                {p.page.columns.map((c) => (
                  <th key={c.name}>{c.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.page.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) => (
                    <td key={j} className={typeof v === 'number' ? 'num' : ''}>
                      {cellText(v) ?? '∅'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small-text">
            {p.page.rows.length} of {p.page.total_rows} rows
          </p>
        </div>
      )}
      {p.kind === 'binary' && <p className="muted">A binary file of {humanBytes(p.size)}: no preview.</p>}
    </div>
  );
}
