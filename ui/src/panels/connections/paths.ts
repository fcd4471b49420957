import type { ConnectionDetails, RemoteEntryInfo } from '../../api/types.gen';

/** One step of the breadcrumb: `prefix` is what browse_connection takes (null: the connection's URL). */
export interface Crumb {
  label: string;
  prefix: string | null;
}

/** `s3://bucket/raw/` -> `s3://bucket`; `https://host/a` -> `https://host`. */
export function storeRoot(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  const i = trimmed.indexOf('://');
  if (i < 0) return trimmed;
  const slash = trimmed.indexOf('/', i + 3);
  return slash < 0 ? trimmed : trimmed.slice(0, slash);
}

/** The path inside the store that a connection's URL points at (`s3://bucket/raw/` -> `raw`). */
export function basePath(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  return trimmed.slice(storeRoot(trimmed).length).replace(/^\/+/, '');
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** A prefix as listed, without stray slashes (`/a//b/` -> `a/b`). */
export function normalizePrefix(prefix: string): string {
  return segments(prefix).join('/');
}

/**
 * The breadcrumb from the connection's URL down to `prefix`: the first crumb is the
 * connection's URL, then one per folder below it. A prefix outside the URL's path starts
 * from the store's root.
 */
export function breadcrumb(url: string, prefix: string | null): Crumb[] {
  const base = segments(basePath(url));
  const root: Crumb = { label: url.trim().replace(/\/+$/, ''), prefix: null };
  if (prefix === null) return [root];
  const parts = segments(prefix);
  const under = base.every((s, i) => parts[i] === s) && parts.length >= base.length;
  const crumbs: Crumb[] = [];
  let start: number;
  if (under) {
    crumbs.push(root);
    start = base.length;
  } else {
    crumbs.push({ label: storeRoot(url), prefix: '' });
    start = 0;
  }
  for (let i = start; i < parts.length; i++) {
    crumbs.push({ label: parts[i], prefix: parts.slice(0, i + 1).join('/') });
  }
  return crumbs;
}

/** The folder above `prefix`, or null at (or above) the connection's URL. */
export function parentPrefix(url: string, prefix: string | null): string | null {
  const crumbs = breadcrumb(url, prefix);
  return crumbs.length > 1 ? crumbs[crumbs.length - 2].prefix : null;
}

/** The last segment of a listed path: a folder's or file's own name. */
export function entryName(path: string): string {
  const parts = segments(path);
  return parts.length ? parts[parts.length - 1] : path;
}

/** The default data set name for a file: its name up to the first dot (as the engine does). */
export function fileStem(path: string): string {
  const name = entryName(path.split(/[?#]/)[0]);
  const stem = name.split('.')[0].trim();
  return stem || name;
}

/** The listed path of a file typed relative to the connection's URL (`sub/x.csv` -> `raw/sub/x.csv`). */
export function pathUnder(url: string, relative: string): string {
  return normalizePrefix([basePath(url), relative].join('/'));
}

/** Folders first, then files, each by name (the listing's order is the store's). */
export function sortEntries(entries: RemoteEntryInfo[]): RemoteEntryInfo[] {
  return [...entries].sort((a, b) => (a.is_dir === b.is_dir ? entryName(a.path).localeCompare(entryName(b.path)) : a.is_dir ? -1 : 1));
}

/** What the list says about a connection's secrets: where they are, or none. */
export function secretsBadge(details: ConnectionDetails): 'keychain' | 'file' | 'keychain + file' | 'none' {
  const places = new Set(details.secrets.map((s) => s.place));
  if (places.has('keychain') && places.has('file')) return 'keychain + file';
  if (places.has('keychain')) return 'keychain';
  if (places.has('file')) return 'file';
  return 'none';
}
