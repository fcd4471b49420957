import { getCurrentWebview } from '@tauri-apps/api/webview';
import { useEffect, useRef, useState } from 'react';

/**
 * Files dropped onto the desktop window (Tauri only): calls `onDrop` with their paths and
 * tells whether files are being dragged over the window.
 */
export function useDragDrop(enabled: boolean, onDrop: (paths: string[]) => void): boolean {
  const [over, setOver] = useState(false);
  const handler = useRef(onDrop);
  handler.current = onDrop;

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let unlisten: (() => void) | null = null;
    getCurrentWebview()
      .onDragDropEvent((event) => {
        const p = event.payload;
        if (p.type === 'enter' || p.type === 'over') setOver(true);
        else if (p.type === 'leave') setOver(false);
        else if (p.type === 'drop') {
          setOver(false);
          if (p.paths.length > 0) handler.current(p.paths);
        }
      })
      .then((fn) => {
        if (stopped) fn();
        else unlisten = fn;
      })
      .catch((e: unknown) => console.error('cannot listen to drag and drop', e));
    return () => {
      stopped = true;
      unlisten?.();
      setOver(false);
    };
  }, [enabled]);

  return over;
}
