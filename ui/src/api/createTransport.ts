import { HttpTransport } from './http';
import { loadConnection, takeFragmentToken, type LocationLike, type StorageLike } from './session';
import { TauriTransport } from './tauri';
import { chooseTransport, type Transport, type WindowLike } from './transport';

function sessionStorageOf(win: WindowLike): StorageLike | null {
  try {
    return (win.sessionStorage as StorageLike | undefined) ?? null;
  } catch {
    return null; // storage disabled
  }
}

/**
 * The transport for this window: Tauri IPC inside the desktop app, HTTP in a browser or to a
 * server chosen in the connect dialog. A `#token=` in the address is taken first.
 */
export function createTransport(win: WindowLike = window as unknown as WindowLike): Transport {
  const session = sessionStorageOf(win);
  if (session && 'history' in win) takeFragmentToken(win as unknown as LocationLike, session);
  const choice = chooseTransport(win, session ? loadConnection(session) : undefined);
  return choice.kind === 'tauri' ? new TauriTransport() : new HttpTransport(choice.base, { token: choice.token });
}
