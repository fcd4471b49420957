import { describe, expect, it } from 'vitest';
import { chooseTransport } from './transport';
import { createTransport } from './createTransport';

const win = (search: string, origin = 'http://127.0.0.1:7878', extra: Record<string, unknown> = {}) => ({
  location: { search, origin },
  ...extra,
});

describe('chooseTransport', () => {
  it('picks Tauri when its internals are injected', () => {
    expect(chooseTransport(win('?server=http://x', undefined, { __TAURI_INTERNALS__: {} }))).toEqual({ kind: 'tauri' });
  });
  it('uses ?server= when given', () => {
    expect(chooseTransport(win('?server=http://localhost:9000/'))).toEqual({ kind: 'http', base: 'http://localhost:9000' });
    expect(chooseTransport(win('?a=1&server=http%3A%2F%2Fhost%3A1%2Fbase'))).toEqual({ kind: 'http', base: 'http://host:1/base' });
  });
  it('falls back to the page origin', () => {
    expect(chooseTransport(win(''))).toEqual({ kind: 'http', base: 'http://127.0.0.1:7878' });
    expect(chooseTransport(win('?server='))).toEqual({ kind: 'http', base: 'http://127.0.0.1:7878' });
  });
  it('builds the matching transport', () => {
    expect(createTransport(win('')).kind).toBe('http');
    expect(createTransport(win('', undefined, { __TAURI_INTERNALS__: {} })).kind).toBe('tauri');
  });
});
