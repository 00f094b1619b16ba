// The console's only way to the API: the typed client generated from the server's OpenAPI document
// (src/client), so a path, a parameter or a field the API does not have is a compile error. Every call
// carries the token in the Authorization header (or, signed in through the IdP, rides on the session
// cookie with its CSRF header); a 401 signs the tab out; `ok(call)` turns Fulcrum's error body
// ({"error":{"code","message"}}) into a FulcrumApiError whose message the pages show.
import {
  FulcrumApiError as ApiError,
  createFulcrumClient,
  type FulcrumClient,
  type Middleware,
  ok,
  type Schemas,
} from '../../../src/client/index';
import { authHeaders, SSO_SESSION, sessionRenewed } from './session';

export { ApiError, ok };

export type Api = FulcrumClient;

/** Who is signed in, with every permission the server's role rules give them. */
export type Whoami = Schemas['Whoami'];
export type Permission = Whoami['permissions'][number];

/**
 * Whether the signed-in caller holds `permission`, as GET /v1/whoami reports it: the server applies its
 * own role rules (an admin role grants everything), so the console never reads role names to decide.
 */
export function can(me: Whoami, permission: Permission): boolean {
  return me.permissions.includes(permission);
}

const UNREACHABLE = 'Fulcrum cannot be reached. Check that the server is running.';

/** The credential of this tab on every request, a clear message when the server cannot be reached. */
function credentials(token: string): Middleware {
  return {
    onRequest({ request }) {
      for (const [k, v] of Object.entries(authHeaders(token))) request.headers.set(k, v);
      return request;
    },
    onError() {
      return new ApiError(0, 'unreachable', UNREACHABLE);
    },
  };
}

/**
 * A change refused (403) in a tab signed in through the IdP may be refused for its CSRF token alone:
 * another tab of the browser signed out and in again, so the cookie names a session this tab holds no
 * token for, and every change failed as "cross-site request refused" until a reload. The refusal comes
 * before anything is done, so with the new session's token (same person) the change is sent once
 * more; with another person's session or none, the tab is signed out of the one it showed.
 */
function renewedSession(token: string, onChanged: () => void): Middleware {
  const sent = new Map<string, Request>();
  return {
    onRequest({ request, id }) {
      if (token === SSO_SESSION && request.method !== 'GET' && request.method !== 'HEAD') sent.set(id, request.clone());
    },
    async onResponse({ response, id }) {
      const again = sent.get(id);
      sent.delete(id);
      if (!again || response.status !== 403) return;
      const now = await sessionRenewed();
      if (now === 'changed') onChanged();
      if (now !== 'renewed') return;
      for (const [k, v] of Object.entries(authHeaders(token))) again.headers.set(k, v);
      return fetch(again);
    },
    onError({ id }) {
      sent.delete(id);
    },
  };
}

export function createApi(
  token: string,
  onUnauthenticated: () => void,
  onSessionChanged: () => void,
  /** A refusal (403): the person's roles may have changed since the tab read them (GET /v1/whoami). */
  onForbidden: () => void,
): Api {
  const client = createFulcrumClient({ baseUrl: '' });
  // Answers pass the middlewares last to first: a change sent again is answered before these checks.
  client.use(
    credentials(token),
    {
      onResponse({ response }) {
        if (response.status === 401) onUnauthenticated();
        if (response.status === 403) onForbidden();
      },
    },
    renewedSession(token, onSessionChanged),
  );
  return client;
}

/** A file from the API (a `parseAs: 'blob'` call, the token in the header): the Blob and the name the server suggests. */
export async function download(
  call: Promise<{ data?: Blob; error?: unknown; response: Response }>,
): Promise<{ blob: Blob; filename: string | null }> {
  const answer = await call;
  const blob = await ok(Promise.resolve(answer));
  const disposition = answer.response.headers.get('content-disposition') ?? '';
  const filename = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
  return { blob, filename: filename ? decodeURIComponent(filename) : null };
}

/** Checks a token before it is kept: who it belongs to, or an ApiError with a message for the sign-in form. */
export async function whoami(token: string): Promise<Whoami> {
  const client = createFulcrumClient({ baseUrl: '' });
  client.use(credentials(token));
  const answer = await client.GET('/v1/whoami');
  if (answer.response.status === 401)
    throw new ApiError(401, 'unauthenticated', 'This token is not valid: it is unknown, revoked or mistyped.');
  const me = await ok(Promise.resolve(answer));
  if (me.type === 'agent')
    throw new ApiError(403, 'not_allowed', 'This is an agent key. Sign in with a person’s API token (fpt_…) instead.');
  // A collector key was kept as a sign-in, and every page then failed with the server's 403.
  if (me.type === 'collector')
    throw new ApiError(
      403,
      'not_allowed',
      'This is a telemetry collector’s key. Sign in with a person’s API token (fpt_…) instead.',
    );
  return me;
}
