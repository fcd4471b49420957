import { describe, expect, it } from 'vitest';
import { AssayClient } from './client';
import { toApiError } from './errors';
import { errorFromResponse, HttpTransport, type EventSourceLike } from './http';
import type { AppEvent } from './types.gen';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('errorFromResponse', () => {
  it('passes the ApiError body through', async () => {
    const err = await errorFromResponse(
      json({ code: 'not_a_project', message: 'not an Assay project', details: { path: '/x' } }, 400),
    );
    expect(err).toEqual({ code: 'not_a_project', message: 'not an Assay project', details: { path: '/x' } });
  });
  it('maps a non-JSON body to an io error naming the status', async () => {
    const err = await errorFromResponse(new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(err.code).toBe('io');
    expect(err.message).toContain('502');
    expect(err.details).toMatchObject({ status: 502, body: '<html>Bad Gateway</html>' });
  });
  it('maps JSON that is not an ApiError to an io error', async () => {
    const err = await errorFromResponse(json({ error: 'nope' }, 500));
    expect(err.code).toBe('io');
    expect(err.message).toContain('500');
  });
});

describe('HttpTransport.call', () => {
  it('POSTs the params as JSON to /api/{method} and returns the body', async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    const t = new HttpTransport('http://h:1/', {
      fetch: async (url, init) => {
        seen.push({ url, init });
        return json({ version: '0.1.0' });
      },
    });
    await expect(t.call('app_info', {})).resolves.toEqual({ version: '0.1.0' });
    expect(seen[0].url).toBe('http://h:1/api/app_info');
    expect(seen[0].init?.method).toBe('POST');
    expect(seen[0].init?.body).toBe('{}');
  });
  it('returns null for a JSON null body', async () => {
    const t = new HttpTransport('http://h', { fetch: async () => json(null) });
    await expect(t.call('current_project', {})).resolves.toBeNull();
  });
  it('rejects with the server ApiError', async () => {
    const t = new HttpTransport('http://h', {
      fetch: async () => json({ code: 'no_project_open', message: 'no project is open' }, 409),
    });
    await expect(t.call('add_dataset', { path: 'x.csv' })).rejects.toEqual({
      code: 'no_project_open',
      message: 'no project is open',
    });
  });
  it('rejects with an io error when the server is unreachable', async () => {
    const t = new HttpTransport('http://127.0.0.1:9', {
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const err = await t.call('app_info', {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'io' });
    expect((err as { message: string }).message).toContain('Cannot reach the Assay server at http://127.0.0.1:9');
  });
  it('rejects with an io error when a 2xx body is not JSON', async () => {
    const t = new HttpTransport('http://h', { fetch: async () => new Response('<!doctype html>', { status: 200 }) });
    await expect(t.call('app_info', {})).rejects.toMatchObject({ code: 'io' });
  });
  it('sends the token as a Bearer header, and none without one', async () => {
    const headers: Record<string, string>[] = [];
    const fetch = async (_url: string, init?: RequestInit) => {
      headers.push(init?.headers as Record<string, string>);
      return json({});
    };
    await new HttpTransport('http://h', { fetch, token: 'tok en' }).call('app_info', {});
    await new HttpTransport('http://h', { fetch }).call('app_info', {});
    expect(headers[0].Authorization).toBe('Bearer tok en');
    expect(headers[0]['Content-Type']).toBe('application/json');
    expect(headers[1]).not.toHaveProperty('Authorization');
  });
  it('rejects with the unauthorized ApiError of a 401', async () => {
    const t = new HttpTransport('http://h', {
      fetch: async () => json({ code: 'unauthorized', message: 'needs a token', error_code: 'UNAUTHENTICATED' }, 401),
    });
    await expect(t.call('app_info', {})).rejects.toMatchObject({ code: 'unauthorized', message: 'needs a token' });
  });
  it('fetches files with the token and rejects a 401 as unauthorized', async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    const t = new HttpTransport('http://h:3', {
      token: 'tok',
      fetch: async (url, init) => {
        seen.push({ url, init });
        return url.endsWith('/gone') ? json({ code: 'unauthorized', message: 'no' }, 401) : new Response('file body');
      },
    });
    expect(t.authenticated).toBe(true);
    expect(t.url('/api/2.0/x')).toBe('http://h:3/api/2.0/x');
    await expect((await t.fetchFile('/api/2.0/x')).text()).resolves.toBe('file body');
    expect(seen[0].init?.headers).toEqual({ Authorization: 'Bearer tok' });
    await expect(t.fetchFile('/gone')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(new HttpTransport('http://h').authenticated).toBe(false);
  });
  it('goes through the typed client unchanged', async () => {
    const client = new AssayClient(new HttpTransport('http://h', { fetch: async () => json([]) }));
    await expect(client.call('list_jobs', {})).resolves.toEqual([]);
  });
});

describe('HttpTransport.subscribe', () => {
  class FakeSource implements EventSourceLike {
    static last: FakeSource | null = null;
    onmessage: ((e: MessageEvent) => void) | null = null;
    named = new Map<string, (e: MessageEvent) => void>();
    closed = false;
    constructor(readonly url: string) {
      FakeSource.last = this;
    }
    addEventListener(type: string, l: (e: MessageEvent) => void) {
      this.named.set(type, l);
    }
    close() {
      this.closed = true;
    }
    emit(data: string) {
      this.onmessage?.({ data } as MessageEvent);
    }
  }

  it('parses AppEvents, skips malformed ones and closes with the last listener', () => {
    const t = new HttpTransport('http://h:2', { eventSource: (url) => new FakeSource(url) });
    const got: AppEvent[] = [];
    const stop = t.subscribe((e) => got.push(e));
    const src = FakeSource.last!;
    expect(src.url).toBe('http://h:2/api/events');
    src.emit(JSON.stringify({ type: 'project', project: null }));
    src.emit('not json');
    src.named.get('job')?.({ data: JSON.stringify({ type: 'log', record: { seq: 1 } }) } as MessageEvent);
    expect(got.map((e) => e.type)).toEqual(['project', 'log']);
    stop();
    expect(src.closed).toBe(true);
  });
  it('passes the token to the event stream as ?token=', () => {
    const t = new HttpTransport('http://h:2', { eventSource: (url) => new FakeSource(url), token: 'a&b' });
    const stop = t.subscribe(() => undefined);
    expect(FakeSource.last!.url).toBe('http://h:2/api/events?token=a%26b');
    stop();
  });
});

describe('toApiError', () => {
  it('keeps ApiErrors and wraps everything else', () => {
    expect(toApiError({ code: 'io', message: 'x' })).toEqual({ code: 'io', message: 'x' });
    expect(toApiError('{"code":"not_found","message":"gone"}')).toEqual({ code: 'not_found', message: 'gone' });
    expect(toApiError('command api not found')).toEqual({ code: 'internal', message: 'command api not found' });
    expect(toApiError(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
    expect(toApiError({ code: 'weird', message: 'm' })).toEqual({ code: 'internal', message: 'm' });
  });
});
