// The console's only way to the API: every call carries the token in the Authorization header (or,
// signed in through the IdP, rides on the session cookie with its CSRF header) and turns Fulcrum's
// error body ({"error":{"code","message"}}) into an ApiError.
import { authHeaders } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  /** A file from the API (with the token in the header), as a Blob and the name the server suggests. */
  download(path: string): Promise<{ blob: Blob; filename: string | null }>;
}

async function failure(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (error?.message) return new ApiError(res.status, error.code ?? 'error', error.message);
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(res.status, 'http_error', `${res.status} ${res.statusText || 'request failed'}`);
}

export function createApi(token: string, onUnauthenticated: () => void): Api {
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          ...authHeaders(token),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'unreachable', 'Fulcrum cannot be reached. Check that the server is running.');
    }
    if (res.status === 401) onUnauthenticated();
    if (!res.ok) throw await failure(res);
    return res;
  }
  return {
    async get<T>(path: string) {
      return (await (await send('GET', path)).json()) as T;
    },
    async post<T>(path: string, body?: unknown) {
      const res = await send('POST', path, body ?? {});
      return (res.status === 204 ? undefined : await res.json()) as T;
    },
    async download(path: string) {
      const res = await send('GET', path);
      const disposition = res.headers.get('content-disposition') ?? '';
      const filename = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
      return { blob: await res.blob(), filename: filename ? decodeURIComponent(filename) : null };
    },
  };
}

/** Checks a token before it is kept: who it belongs to, or an ApiError with a message for the sign-in form. */
export async function whoami(token: string): Promise<Whoami> {
  let res: Response;
  try {
    res = await fetch('/v1/whoami', { headers: authHeaders(token) });
  } catch {
    throw new ApiError(0, 'unreachable', 'Fulcrum cannot be reached. Check that the server is running.');
  }
  if (res.status === 401)
    throw new ApiError(401, 'unauthenticated', 'This token is not valid: it is unknown, revoked or mistyped.');
  if (!res.ok) throw await failure(res);
  const me = (await res.json()) as Whoami;
  if (me.type === 'agent')
    throw new ApiError(403, 'not_allowed', 'This is an agent key. Sign in with a person’s API token (fpt_…) instead.');
  return me;
}

export interface Whoami {
  type: 'admin' | 'person' | 'agent';
  id: string;
  roles?: string[];
}
