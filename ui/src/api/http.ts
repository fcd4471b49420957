import { apiError, isApiError } from './errors';
import type { Transport } from './transport';
import type { ApiError, AppEvent } from './types.gen';

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** The subset of EventSource the transport uses (injectable for tests). */
export interface EventSourceLike {
  onmessage: ((e: MessageEvent) => void) | null;
  addEventListener(type: string, listener: (e: MessageEvent) => void): void;
  close(): void;
}

export interface HttpTransportOptions {
  fetch?: FetchFn;
  /** Sent as `Authorization: Bearer`, and as `?token=` to the event stream (EventSource cannot set headers). */
  token?: string;
  eventSource?: (url: string) => EventSourceLike;
}

const MAX_BODY_IN_DETAILS = 500;

/** Maps a non-2xx response to the ApiError it carries, or a clear `io` error when it carries none. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // body unreadable: fall through with empty text
  }
  try {
    const body: unknown = JSON.parse(text);
    if (isApiError(body)) return body;
  } catch {
    // not JSON
  }
  const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  return apiError('io', `The Assay server answered with HTTP ${status} and no error description.`, {
    status: res.status,
    body: text.slice(0, MAX_BODY_IN_DETAILS),
  });
}

/** Reads a 2xx response's JSON body (an empty body means `null`). */
export async function bodyFromResponse(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw apiError('io', 'The Assay server sent a response that is not JSON.', {
      status: res.status,
      body: text.slice(0, MAX_BODY_IN_DETAILS),
    });
  }
}

/** Parses one server-sent event's data as an AppEvent; null when it is not one. */
export function parseEventData(data: unknown): AppEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
      return value as AppEvent;
    }
  } catch {
    // ignore malformed events
  }
  return null;
}

/** `POST {base}/api/{method}` for calls, `GET {base}/api/events` (server-sent events) for events. */
export class HttpTransport implements Transport {
  readonly kind = 'http' as const;
  readonly base: string;
  private readonly fetchFn: FetchFn;
  private readonly token: string | undefined;
  private readonly makeEventSource: (url: string) => EventSourceLike;
  private source: EventSourceLike | null = null;
  private readonly listeners = new Set<(e: AppEvent) => void>();

  constructor(base: string, options: HttpTransportOptions = {}) {
    this.base = base.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.token = options.token;
    this.makeEventSource = options.eventSource ?? ((url) => new EventSource(url) as unknown as EventSourceLike);
  }

  async call(method: string, params: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify(params ?? {}),
      });
    } catch (e) {
      const reason = e instanceof Error && e.message ? ` (${e.message})` : '';
      throw apiError('io', `Cannot reach the Assay server at ${this.base}${reason}. Is \`assay serve\` running?`, {
        base: this.base,
        method,
      });
    }
    if (!res.ok) throw await errorFromResponse(res);
    return bodyFromResponse(res);
  }

  /** The absolute URL of a server path such as `/api/2.0/mlflow-artifacts/artifacts/...`. */
  url(path: string): string {
    return `${this.base}${path}`;
  }

  /** Whether requests carry a token (a plain link to a file then gets 401). */
  get authenticated(): boolean {
    return this.token !== undefined;
  }

  /** Fetches a file from a server path with the token; rejects with an ApiError. */
  async fetchFile(path: string): Promise<Blob> {
    const headers: Record<string, string> = this.token ? { Authorization: `Bearer ${this.token}` } : {};
    let res: Response;
    try {
      res = await this.fetchFn(this.url(path), { headers });
    } catch {
      throw apiError('io', `Cannot reach the Assay server at ${this.base}.`, { base: this.base, path });
    }
    if (!res.ok) throw await errorFromResponse(res);
    return res.blob();
  }

  subscribe(onEvent: (e: AppEvent) => void): () => void {
    this.listeners.add(onEvent);
    if (!this.source) {
      const query = this.token ? `?token=${encodeURIComponent(this.token)}` : '';
      const source = this.makeEventSource(`${this.base}/api/events${query}`);
      const dispatch = (msg: MessageEvent) => {
        const event = parseEventData(msg.data);
        if (!event) return;
        for (const listener of [...this.listeners]) listener(event);
      };
      source.onmessage = dispatch;
      // Also accept events the server names after their type (`event: job`).
      for (const type of ['job', 'log', 'project']) source.addEventListener(type, dispatch);
      this.source = source;
    }
    return () => {
      this.listeners.delete(onEvent);
      if (this.listeners.size === 0 && this.source) {
        this.source.close();
        this.source = null;
      }
    };
  }
}
