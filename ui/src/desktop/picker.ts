import { open } from '@tauri-apps/plugin-dialog';
import type { Dialogs } from '../components/Dialogs';

export const DATA_EXTENSIONS = ['csv', 'tsv', 'parquet', 'json', 'ndjson', 'jsonl', 'arrow', 'ipc', 'feather'];

function single(result: unknown): string | null {
  if (typeof result === 'string') return result;
  if (Array.isArray(result) && typeof result[0] === 'string') return result[0];
  return null;
}

/**
 * Asks for a folder: the native dialog in the desktop app, else a path typed by hand (in a
 * browser the folder is on the machine running `assay serve`).
 */
export async function pickFolder(kind: 'tauri' | 'http', dialogs: Dialogs, title: string): Promise<string | null> {
  if (kind === 'tauri') return single(await open({ directory: true, multiple: false, title }));
  return dialogs.prompt({
    title,
    label: 'Folder path on the server machine',
    placeholder: '/home/me/projects/churn',
    help: 'The browser cannot browse folders: type the absolute path as the machine running `assay serve` sees it.',
    confirmLabel: 'Continue',
  });
}

/** Asks for a data file (or, in a browser, a path or URL). */
export async function pickDataFile(kind: 'tauri' | 'http', dialogs: Dialogs): Promise<string | null> {
  if (kind === 'tauri') {
    return single(
      await open({ multiple: false, directory: false, title: 'Add data set', filters: [{ name: 'Data', extensions: DATA_EXTENSIONS }] }),
    );
  }
  return dialogs.prompt({
    title: 'Add data set',
    label: 'File path on the server machine, or URL',
    placeholder: 'data/penguins.csv or s3://bucket/key.parquet',
    help: `Relative paths are relative to the project folder. Formats: ${DATA_EXTENSIONS.join(', ')}.`,
    confirmLabel: 'Add',
  });
}
