import type { Connection } from './session';
import type { AppEvent } from './types.gen';

/** Moves API calls and events between the UI and the engine (Tauri IPC or HTTP). */
export interface Transport {
  /** Calls an API method; rejects with an ApiError-shaped object. */
  call(method: string, params: unknown): Promise<unknown>;
  /** Listens to app events; returns the function that stops listening. */
  subscribe(onEvent: (e: AppEvent) => void): () => void;
  readonly kind: 'tauri' | 'http';
}

/** What transport to use, decided from the window alone. */
export type TransportChoice = { kind: 'tauri' } | { kind: 'http'; base: string; token?: string };

/** The parts of `window` the choice looks at. */
export interface WindowLike {
  location: { search: string; origin: string };
  [key: string]: unknown;
}

/** Removes trailing slashes so `${base}/api/x` never has `//`. */
export function normalizeBase(base: string): string {
  return base.trim().replace(/\/+$/, '');
}

/**
 * HTTP to the session's server when one was chosen (also inside the desktop app), else Tauri
 * when the Tauri internals are injected, else HTTP with the base URL from the `?server=URL`
 * query parameter, else the page's origin. The session's token goes with HTTP.
 */
export function chooseTransport(win: WindowLike, connection?: Connection): TransportChoice {
  const auth = connection?.token ? { token: connection.token } : {};
  if (connection?.server) return { kind: 'http', base: normalizeBase(connection.server), ...auth };
  if ('__TAURI_INTERNALS__' in win) return { kind: 'tauri' };
  const server = new URLSearchParams(win.location.search).get('server');
  if (server && server.trim() !== '') return { kind: 'http', base: normalizeBase(server), ...auth };
  return { kind: 'http', base: normalizeBase(win.location.origin), ...auth };
}
