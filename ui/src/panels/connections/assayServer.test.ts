import { describe, expect, it } from 'vitest';
import { checkServer } from './assayServer';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fake Assay server accepting `token` (or anything when null). */
function server(token: string | null) {
  const seen: { url: string; auth?: string }[] = [];
  const fetch = async (url: string, init?: RequestInit) => {
    const auth = (init?.headers as Record<string, string> | undefined)?.Authorization;
    seen.push({ url, auth });
    if (url.endsWith('/api/health')) return json({ status: 'ok', version: '0.9.0' });
    if (token !== null && auth !== `Bearer ${token}`) return json({ code: 'unauthorized', message: 'no' }, 401);
    return json({ version: '0.9.0' });
  };
  return { fetch, seen };
}

describe('checkServer', () => {
  it('accepts the right token after the health check', async () => {
    const s = server('good-token');
    await expect(checkServer('http://box:7878/', 'good-token', s.fetch)).resolves.toEqual({
      ok: true,
      base: 'http://box:7878',
      version: '0.9.0',
    });
    expect(s.seen.map((r) => r.url)).toEqual(['http://box:7878/api/health', 'http://box:7878/api/app_info']);
    expect(s.seen[0].auth).toBeUndefined();
  });
  it('shows a 401 as a refused token', async () => {
    const s = server('good-token');
    await expect(checkServer('http://box:7878', 'bad', s.fetch)).resolves.toMatchObject({
      ok: false,
      reason: 'token_refused',
      message: expect.stringContaining('Token refused'),
    });
    await expect(checkServer('http://box:7878', '', s.fetch)).resolves.toMatchObject({ reason: 'token_refused' });
  });
  it('tells unreachable, foreign and malformed addresses apart', async () => {
    const down = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(checkServer('http://box:1', '', down)).resolves.toMatchObject({ reason: 'unreachable' });
    const other = async () => new Response('<html></html>', { status: 200 });
    await expect(checkServer('http://box:2', '', other)).resolves.toMatchObject({ reason: 'not_assay' });
    await expect(checkServer('box:7878', '', server(null).fetch)).resolves.toMatchObject({ reason: 'bad_url' });
  });
});
