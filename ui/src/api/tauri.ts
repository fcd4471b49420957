import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { toApiError } from './errors';
import type { Transport } from './transport';
import type { AppEvent } from './types.gen';

/** The Tauri event carrying every AppEvent. */
export const APP_EVENT = 'assay://event';

/** Listens to a Tauri event; the returned function works even before `listen` resolved. */
export function listenSync<T>(event: string, handler: (payload: T) => void): () => void {
  let stopped = false;
  let unlisten: (() => void) | null = null;
  listen<T>(event, (e) => {
    if (!stopped) handler(e.payload);
  })
    .then((fn) => {
      if (stopped) fn();
      else unlisten = fn;
    })
    .catch((e: unknown) => console.error(`cannot listen to ${event}`, e));
  return () => {
    stopped = true;
    unlisten?.();
  };
}

/** Calls the `api(method, params)` Tauri command; events arrive as `assay://event`. */
export class TauriTransport implements Transport {
  readonly kind = 'tauri' as const;

  async call(method: string, params: unknown): Promise<unknown> {
    try {
      return await invoke('api', { method, params: params ?? {} });
    } catch (e) {
      throw toApiError(e);
    }
  }

  subscribe(onEvent: (e: AppEvent) => void): () => void {
    return listenSync<AppEvent>(APP_EVENT, onEvent);
  }
}
