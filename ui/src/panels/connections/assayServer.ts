import { toApiError } from '../../api/errors';
import { HttpTransport } from '../../api/http';
import { normalizeBase } from '../../api/transport';

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** What testing a server found. */
export type ServerCheck =
  | { ok: true; base: string; version: string }
  | { ok: false; reason: 'bad_url' | 'unreachable' | 'not_assay' | 'token_refused' | 'error'; message: string };

/**
 * Tests a server as the UI will use it: `GET /api/health` (no token needed), then an
 * authenticated call (`app_info`), so a wrong token shows as "token refused".
 */
export async function checkServer(url: string, token: string, fetchFn: FetchFn = (u, i) => globalThis.fetch(u, i)): Promise<ServerCheck> {
  const base = normalizeBase(url);
  if (!/^https?:\/\/[^/]/.test(base)) {
    return { ok: false, reason: 'bad_url', message: 'Give the server address with http:// or https://.' };
  }
  let health: { status?: unknown; version?: unknown } | null;
  try {
    const res = await fetchFn(`${base}/api/health`);
    health = res.ok ? ((await res.json().catch(() => null)) as typeof health) : null;
  } catch {
    return { ok: false, reason: 'unreachable', message: `Cannot reach ${base}: is \`assay serve\` running there?` };
  }
  if (health?.status !== 'ok') {
    return { ok: false, reason: 'not_assay', message: `${base} answers, but it is not an Assay server.` };
  }
  try {
    await new HttpTransport(base, { fetch: fetchFn, token: token.trim() || undefined }).call('app_info', {});
  } catch (e) {
    const error = toApiError(e);
    if (error.code !== 'unauthorized') return { ok: false, reason: 'error', message: error.message };
    const message = token.trim() ? 'Token refused: the server does not accept this token.' : 'This server needs a token.';
    return { ok: false, reason: 'token_refused', message };
  }
  return { ok: true, base, version: typeof health.version === 'string' ? health.version : '?' };
}
