/** Where artifact files can be downloaded from `assay serve`. */

export const ARTIFACT_ROUTE = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * The path of an `mlflow-artifacts:` URI under the artifact route, without slashes at the
 * ends (`mlflow-artifacts:/1/abc/artifacts/model` → `1/abc/artifacts/model`); null for other
 * URIs (`models:/...`, `s3://...`).
 */
export function artifactUriPath(uri: string): string | null {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/.exec(uri.trim());
  if (!m) return null;
  return (m[1] ?? '').replace(/^\/+|\/+$/g, '');
}

/** The download URL of `file` (relative to `rootUri`), each segment URL-encoded; null when not served. */
export function artifactUrl(rootUri: string, file: string): string | null {
  const base = artifactUriPath(rootUri);
  if (base === null) return null;
  const parts = [...base.split('/'), ...file.split('/')].filter((s) => s !== '');
  return `${ARTIFACT_ROUTE}/${parts.map(encodeURIComponent).join('/')}`;
}

/** The download URL of a run's artifact file wherever the run keeps it (an object store too). */
export function runArtifactUrl(runId: string, file: string): string {
  const parts = file.split('/').filter((s) => s !== '');
  return `/api/runs/${encodeURIComponent(runId)}/artifacts/${parts.map(encodeURIComponent).join('/')}`;
}

/** The URL of a zip archive of a run's artifact folder (`''` for all of them). */
export function runArchiveUrl(runId: string, folder: string): string {
  const path = folder.replace(/^\/+|\/+$/g, '');
  const query = path ? `?path=${encodeURIComponent(path)}` : '';
  return `/api/runs/${encodeURIComponent(runId)}/archive${query}`;
}

/** The file name a folder's archive downloads as. */
export function archiveName(runId: string, folder: string): string {
  return `${baseName(folder.replace(/\/+$/, '')) || `${runId}-artifacts`}.zip`;
}

/**
 * A model version's folder inside its run's artifacts: the part of `source` after the run's
 * artifact root (`model`), '' when it is the root itself, null when it is elsewhere.
 */
export function folderInRun(source: string, runRoot: string): string | null {
  const s = artifactUriPath(source);
  const r = artifactUriPath(runRoot);
  if (s === null || r === null) return null;
  if (s === r) return '';
  return s.startsWith(`${r}/`) ? s.slice(r.length + 1) : null;
}

/** The folders to show when a file path is opened: `a/b/c.txt` → `a`, `a/b`. */
export function parentFolders(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The last segment of a path. */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}
