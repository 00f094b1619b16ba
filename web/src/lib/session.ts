// How this tab is signed in. A pasted API token lives in sessionStorage only: it goes with this tab
// and is never put in a URL, a cookie or localStorage. A sign-in through the company's IdP is an
// httpOnly session cookie the page never sees: the tab keeps only a marker (SSO_SESSION) and the
// session's CSRF token, which every request carries in X-Fulcrum-CSRF (docs/auth.md#single-sign-on).
import { createFulcrumClient, type GetResult, ok } from '../../../src/client/index';

const KEY = 'fulcrum.token';
const CSRF_KEY = 'fulcrum.csrf';
/** Whose session the kept CSRF token is for (GET /auth/session's `person`). */
const PERSON_KEY = 'fulcrum.person';

/** What loadToken returns for a tab signed in through the IdP (the cookie is the credential). */
export const SSO_SESSION = 'sso-session';

/** How people sign in here, and this browser's IdP session (GET /auth/session). */
export type SignInInfo = GetResult<'/auth/session'>;

/** A sign-out still telling the server: nothing may find the old session before it is gone. */
let signingOut: Promise<unknown> = Promise.resolve();

/**
 * Tells this browser's other console tabs that the person signed out: they share the session cookie,
 * and a tab not asking the server anything (every page but Approvals) went on showing what the ended
 * session had read, on a shared machine to whoever sat down next.
 */
const tabs = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('fulcrum.session');
const SIGNED_OUT = 'signed-out';

/** Calls `then` when another tab of this browser signs its IdP session out; returns the unsubscribe. */
export function onSignedOutElsewhere(then: () => void): () => void {
  const listener = (e: MessageEvent) => {
    if (e.data === SIGNED_OUT && sessionStorage.getItem(KEY) === SSO_SESSION) then();
  };
  tabs?.addEventListener('message', listener);
  return () => tabs?.removeEventListener('message', listener);
}

export function loadToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/**
 * Signs this tab out. `how`: 'sign-out' when the person asked to (the browser's IdP session ends on the
 * server, whichever it is by now), 'ended' when the server said the session is over (the cookie is
 * cleared), 'changed' when the session this tab signed in with is no longer the browser's (another
 * tab signed in again, or signed out): the server is not asked to end anything, and the sign-in page
 * takes up whatever session the cookie names, if any.
 */
export function clearToken(how: 'sign-out' | 'ended' | 'changed' = 'sign-out'): void {
  const wasSso = sessionStorage.getItem(KEY) === SSO_SESSION;
  const headers = authHeaders(SSO_SESSION);
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(CSRF_KEY);
  sessionStorage.removeItem(PERSON_KEY);
  if (!wasSso || how === 'changed') return;
  // Ends the server's session too (it is not this tab's to keep), then clears the cookie.
  signingOut = fetch('/auth/logout', { method: 'POST', headers })
    .then(async (answer) => {
      // Refused (403) when another tab signed in again since this one did: the cookie names a newer
      // session than the CSRF token kept here, and signing out left it alive, so the sign-in page
      // took it up again at once. Asked by the person, the sign-out ends the session the cookie names.
      if (answer.status !== 403 || how !== 'sign-out') return;
      const now = await currentSession();
      if (now) await fetch('/auth/logout', { method: 'POST', headers: { 'x-fulcrum-csrf': now.csrfToken } });
    })
    .catch(() => undefined)
    .then(() => how === 'sign-out' && tabs?.postMessage(SIGNED_OUT));
}

/** The browser's IdP session as the server sees it now (its cookie), or null. */
async function currentSession(): Promise<SignInInfo['session']> {
  return (await ok(createFulcrumClient({ baseUrl: '' }).GET('/auth/session', { headers: { accept: 'application/json' } })))
    .session;
}

/**
 * After a refusal (403) of this tab's request: whether the browser's cookie now names another session
 * than the one whose CSRF token this tab keeps (another tab signed out and in again). For the same
 * person the new CSRF token is kept and 'renewed' is answered (the request may be sent again: the
 * refusal came before anything was done); for another person or none, 'changed'; else 'same'.
 */
export async function sessionRenewed(): Promise<'renewed' | 'changed' | 'same'> {
  const kept = sessionStorage.getItem(CSRF_KEY);
  const now = await currentSession().catch(() => undefined);
  if (now === undefined || now?.csrfToken === kept) return 'same';
  if (!now || now.person !== sessionStorage.getItem(PERSON_KEY)) return 'changed';
  sessionStorage.setItem(CSRF_KEY, now.csrfToken);
  return 'renewed';
}

/** The headers that authenticate a request: the pasted token, or the session cookie's CSRF token. */
export function authHeaders(token: string): Record<string, string> {
  if (token !== SSO_SESSION) return { authorization: `Bearer ${token}` };
  const csrf = sessionStorage.getItem(CSRF_KEY);
  return csrf ? { 'x-fulcrum-csrf': csrf } : {};
}

/** How people sign in here, and this browser's IdP session if it has one (its CSRF token is kept). */
export async function signInInfo(): Promise<SignInInfo> {
  await signingOut;
  const info = await ok(createFulcrumClient({ baseUrl: '' }).GET('/auth/session', { headers: { accept: 'application/json' } }));
  if (info.session) {
    sessionStorage.setItem(CSRF_KEY, info.session.csrfToken);
    sessionStorage.setItem(PERSON_KEY, info.session.person);
  }
  return info;
}
