// Loads API data for a page: loading, error and reload, optional polling while the tab is visible.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { Api, Whoami } from './api';

export interface Session {
  api: Api;
  me: Whoami;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

/** `load` runs on mount, on reload() and every `pollMs` (paused while the tab is hidden). */
export function useLoad<T>(load: (api: Api) => Promise<T>, deps: unknown[], pollMs?: number): Loaded<T> {
  const { api } = useSession();
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's, tick forces a reload
  useEffect(() => {
    let live = true;
    const run = () =>
      loadRef.current(api).then(
        (data) => live && setState({ data, loading: false }),
        (error: Error) => live && setState((s) => ({ data: s.data, error, loading: false })),
      );
    run();
    if (!pollMs)
      return () => {
        live = false;
      };
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') run();
    }, pollMs);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [api, pollMs, tick, ...deps]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
