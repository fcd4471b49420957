/**
 * The connection of this window to an Assay server: which server (none means the page's own
 * origin, or the desktop engine) and its token. Both live in sessionStorage, so a token never
 * outlives the browser session; the last server URL is also kept in localStorage to prefill the
 * connect dialog.
 */

/** A server and its token; `server: null` is the default one (page origin or desktop engine). */
export interface Connection {
  server: string | null;
  token: string | null;
}

/** The parts of Storage used here (injectable for tests). */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const CONNECTION_KEY = 'assay.connection';
const LAST_SERVER_KEY = 'assay.lastServer';

const NONE: Connection = { server: null, token: null };

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The connection of this session. */
export function loadConnection(session: StorageLike): Connection {
  try {
    const value: unknown = JSON.parse(session.getItem(CONNECTION_KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return NONE;
    const v = value as Record<string, unknown>;
    return { server: text(v.server), token: text(v.token) };
  } catch {
    return NONE;
  }
}

/** Keeps the connection for this session (and the server URL for the next one). */
export function saveConnection(session: StorageLike, local: StorageLike, c: Connection): void {
  store(session, c);
  if (c.server) local.setItem(LAST_SERVER_KEY, c.server);
}

function store(session: StorageLike, c: Connection): void {
  session.setItem(CONNECTION_KEY, JSON.stringify(c));
}

/** Back to the default server, without a token. */
export function clearConnection(session: StorageLike): void {
  session.removeItem(CONNECTION_KEY);
}

/** The server URL used last, for the connect dialog. */
export function lastServer(local: StorageLike): string {
  return local.getItem(LAST_SERVER_KEY) ?? '';
}

/** The parts of `window` the fragment pickup uses. */
export interface LocationLike {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url?: string): void };
}

/**
 * Takes `#token=...` from the address (the sign-in link of `assay serve`): keeps the token for
 * this session and removes it from the address bar and the history entry. Returns the token.
 */
export function takeFragmentToken(win: LocationLike, session: StorageLike): string | null {
  const fragment = new URLSearchParams(win.location.hash.replace(/^#/, ''));
  const token = text(fragment.get('token'));
  if (!token) return null;
  fragment.delete('token');
  const rest = fragment.toString();
  win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}${rest ? `#${rest}` : ''}`);
  store(session, { ...loadConnection(session), token });
  return token;
}
