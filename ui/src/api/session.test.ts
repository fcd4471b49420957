import { describe, expect, it } from 'vitest';
import { createTransport } from './createTransport';
import { HttpTransport } from './http';
import { clearConnection, lastServer, loadConnection, saveConnection, takeFragmentToken, type StorageLike } from './session';

function memory(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

function page(hash: string, search = '') {
  const replaced: string[] = [];
  return {
    replaced,
    location: { hash, pathname: '/index.html', search, origin: 'http://10.0.0.5:7878' },
    history: { replaceState: (_d: unknown, _u: string, url?: string) => void replaced.push(url ?? '') },
  };
}

describe('connection storage', () => {
  it('keeps server and token in the session and the server for next time', () => {
    const session = memory();
    const local = memory();
    expect(loadConnection(session)).toEqual({ server: null, token: null });
    saveConnection(session, local, { server: 'http://box:7878', token: 's3cret' });
    expect(loadConnection(session)).toEqual({ server: 'http://box:7878', token: 's3cret' });
    expect(lastServer(local)).toBe('http://box:7878');
    expect([...local.data.values()].join()).not.toContain('s3cret');
    clearConnection(session);
    expect(loadConnection(session)).toEqual({ server: null, token: null });
    session.setItem('assay.connection', '{broken');
    expect(loadConnection(session)).toEqual({ server: null, token: null });
  });
});

describe('takeFragmentToken', () => {
  it('keeps #token= for the session and strips it from the address', () => {
    const session = memory();
    const win = page('#token=abc%2Fdef&panel=models', '?x=1');
    expect(takeFragmentToken(win, session)).toBe('abc/def');
    expect(win.replaced).toEqual(['/index.html?x=1#panel=models']);
    expect(loadConnection(session)).toEqual({ server: null, token: 'abc/def' });
  });
  it('leaves other addresses alone', () => {
    const session = memory();
    const win = page('#panel=models');
    expect(takeFragmentToken(win, session)).toBeNull();
    expect(win.replaced).toEqual([]);
  });
  it('gives the picked-up token to the HTTP transport', async () => {
    const session = memory();
    const win = { ...page('#token=tok-123'), sessionStorage: session };
    const transport = createTransport(win);
    expect(transport).toBeInstanceOf(HttpTransport);
    expect((transport as HttpTransport).base).toBe('http://10.0.0.5:7878');
    expect(win.replaced).toEqual(['/index.html']);
    expect(loadConnection(session).token).toBe('tok-123');
  });
  it('prefers the session server, even in the desktop app', () => {
    const session = memory();
    saveConnection(session, memory(), { server: 'http://box:7878/', token: null });
    const win = { ...page(''), sessionStorage: session, __TAURI_INTERNALS__: {} };
    const transport = createTransport(win);
    expect(transport.kind).toBe('http');
    expect((transport as HttpTransport).base).toBe('http://box:7878');
  });
});
