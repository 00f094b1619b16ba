// The signed-in person's API token lives in sessionStorage only: it goes with this tab and is never
// put in a URL, a cookie or localStorage.
const KEY = 'fulcrum.token';

export function loadToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}
