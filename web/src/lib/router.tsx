// A small path router over the History API: the console has a flat set of pages, so a routing
// library would add more than it saves. Paths are real URLs (the server falls back to index.html).
import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(to: string): void {
  if (to === window.location.pathname + window.location.hash) return;
  window.history.pushState(null, '', to);
  for (const l of listeners) l();
}

export function useLocation(): { path: string; hash: string } {
  const path = useSyncExternalStore(subscribe, () => window.location.pathname);
  const hash = useSyncExternalStore(subscribe, () => decodeHash(window.location.hash.slice(1)));
  return { path, hash };
}

/**
 * The hash as the element id it names. A hash that is not valid percent-encoding (`#%`, a cut
 * `%E0%A4%A`) is taken as it is: decoding threw in render and left a blank page, even on reload.
 */
function decodeHash(hash: string): string {
  try {
    return decodeURIComponent(hash);
  } catch {
    return hash;
  }
}

/** Scrolls to the element the hash names once it is on the page (e.g. a policy linked from the audit log). */
export function useScrollToHash(hash: string, ready: boolean): void {
  useEffect(() => {
    if (!hash || !ready) return;
    const el = document.getElementById(hash);
    el?.scrollIntoView({ block: 'start' });
    el?.focus({ preventScroll: true });
  }, [hash, ready]);
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
    if (!href.includes('#')) window.scrollTo(0, 0);
  };
  return <a href={href} onClick={click} {...rest} />;
}
