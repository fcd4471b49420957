import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { TauriTransport } from './tauri';

beforeAll(() => {
  // The Tauri API looks for its internals on `window`; node has none.
  (globalThis as unknown as { window: unknown }).window ??= globalThis;
});
afterEach(() => clearMocks());

describe('TauriTransport', () => {
  it('invokes the `api` command with method and params', async () => {
    const seen: unknown[] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return { version: '0.1.0' };
    });
    await expect(new TauriTransport().call('app_info', {})).resolves.toEqual({ version: '0.1.0' });
    expect(seen).toEqual([['api', { method: 'app_info', params: {} }]]);
  });
  it('rejects with the ApiError the command returned', async () => {
    mockIPC(() => {
      throw { code: 'no_project_open', message: 'no project is open: open or create one first' };
    });
    await expect(new TauriTransport().call('add_dataset', { path: 'a.csv' })).rejects.toEqual({
      code: 'no_project_open',
      message: 'no project is open: open or create one first',
    });
  });
  it('maps an IPC-level string rejection to an ApiError', async () => {
    mockIPC(() => {
      throw 'command api not allowed';
    });
    await expect(new TauriTransport().call('app_info', {})).rejects.toEqual({
      code: 'internal',
      message: 'command api not allowed',
    });
  });
});
