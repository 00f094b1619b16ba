// How this tab is signed in. A pasted API token lives in sessionStorage only: it goes with this tab
// and is never put in a URL, a cookie or localStorage. A sign-in through the company's IdP is an
// httpOnly session cookie the page never sees: the tab keeps only a marker (SSO_SESSION) and the
// session's CSRF token, which every request carries in X-Fulcrum-CSRF (docs/auth.md#single-sign-on).
import { createFulcrumClient, type GetResult, ok } from '../../../src/client/index';

const KEY = 'fulcrum.token';
const CSRF_KEY = 'fulcrum.csrf';

/** What loadToken returns for a tab signed in through the IdP (the cookie is the credential). */
export const SSO_SESSION = 'sso-session';

/** How people sign in here, and this browser's IdP session (GET /auth/session). */
export type SignInInfo = GetResult<'/auth/session'>;

/** A sign-out still telling the server: nothing may find the old session before it is gone. */
let signingOut: Promise<unknown> = Promise.resolve();

export function loadToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  const wasSso = sessionStorage.getItem(KEY) === SSO_SESSION;
  const headers = authHeaders(SSO_SESSION);
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(CSRF_KEY);
  // Ends the server's session too (it is not this tab's to keep), then clears the cookie.
  if (wasSso) signingOut = fetch('/auth/logout', { method: 'POST', headers }).catch(() => undefined);
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
  if (info.session) sessionStorage.setItem(CSRF_KEY, info.session.csrfToken);
  return info;
}
