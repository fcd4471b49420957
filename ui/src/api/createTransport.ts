import { HttpTransport } from './http';
import { TauriTransport } from './tauri';
import { chooseTransport, type Transport, type WindowLike } from './transport';

/** The transport for this window: Tauri IPC inside the desktop app, HTTP in a browser. */
export function createTransport(win: WindowLike = window as unknown as WindowLike): Transport {
  const choice = chooseTransport(win);
  return choice.kind === 'tauri' ? new TauriTransport() : new HttpTransport(choice.base);
}
