// The console shell: sign-in gate, navigation and the page for the current path.
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { CONSOLE_PAGES, type ConsolePagePath } from '../../src/http/console-pages';
import { Layout } from './components/layout';
import { Loading } from './components/ui';
import { createApi, type Whoami, whoami } from './lib/api';
import { useLocation } from './lib/router';
import { clearToken, loadToken, onSignedOutElsewhere, saveToken } from './lib/session';
import { SessionContext } from './lib/use-api';
import { AgentsPage } from './pages/agents';
import { ApprovalsPage } from './pages/approvals';
import { AuditPage } from './pages/audit';
import { BudgetPage } from './pages/budget';
import { CostsPage } from './pages/costs';
import { IncidentsPage } from './pages/incidents';
import { InitiativesPage } from './pages/initiatives';
import { MonitorsPage } from './pages/monitors';
import { OverviewPage } from './pages/overview';
import { PlanPage } from './pages/plan';
import { PoliciesPage } from './pages/policies';
import { PortfolioPage } from './pages/portfolio';
import { RegistryPage } from './pages/registry';
import { ReportPage } from './pages/report';
import { RetentionPage } from './pages/retention';
import { ReviewsPage } from './pages/reviews';
import { SessionsPage } from './pages/sessions';
import { SignIn } from './pages/sign-in';

export interface PageDef {
  path: ConsolePagePath;
  label: string;
  group: 'Insight' | 'Registry' | 'Guard' | 'Governance' | 'Account';
  render(): ReactNode;
}

/** A page for every path the server knows as the console's (src/http/console-pages.ts), in its order. */
const PAGE_DEFS: Record<ConsolePagePath, Omit<PageDef, 'path'>> = {
  '/': { label: 'Overview', group: 'Insight', render: () => <OverviewPage /> },
  '/portfolio': { label: 'Portfolio', group: 'Insight', render: () => <PortfolioPage /> },
  '/initiatives': { label: 'Initiatives', group: 'Insight', render: () => <InitiativesPage /> },
  '/budget': { label: 'Budget', group: 'Insight', render: () => <BudgetPage /> },
  '/costs': { label: 'Costs', group: 'Insight', render: () => <CostsPage /> },
  '/plan': { label: 'Plan', group: 'Insight', render: () => <PlanPage /> },
  '/report': { label: 'Board report', group: 'Insight', render: () => <ReportPage /> },
  '/registry': { label: 'Registry', group: 'Registry', render: () => <RegistryPage /> },
  '/agents': { label: 'Agents', group: 'Guard', render: () => <AgentsPage /> },
  '/approvals': { label: 'Approvals', group: 'Guard', render: () => <ApprovalsPage /> },
  '/audit': { label: 'Audit log', group: 'Guard', render: () => <AuditPage /> },
  '/policies': { label: 'Policies', group: 'Guard', render: () => <PoliciesPage /> },
  '/incidents': { label: 'Incidents', group: 'Governance', render: () => <IncidentsPage /> },
  '/reviews': { label: 'Reviews', group: 'Governance', render: () => <ReviewsPage /> },
  '/monitors': { label: 'Monitors', group: 'Governance', render: () => <MonitorsPage /> },
  '/retention': { label: 'Retention', group: 'Governance', render: () => <RetentionPage /> },
  '/sessions': { label: 'Your sessions', group: 'Account', render: () => <SessionsPage /> },
};

export const PAGES: PageDef[] = CONSOLE_PAGES.map((path) => ({ path, ...PAGE_DEFS[path] }));

export function App() {
  const [token, setToken] = useState<string | null>(() => loadToken());
  const [me, setMe] = useState<Whoami | null>(null);
  const [expired, setExpired] = useState(false);
  const { path } = useLocation();

  // 'expired': the server ended the session; 'changed': the browser's cookie names another session
  // now (another tab signed in again), which the sign-in page takes up.
  const signOut = useCallback((why?: 'expired' | 'changed') => {
    clearToken(why === 'expired' ? 'ended' : (why ?? 'sign-out'));
    setToken(null);
    setMe(null);
    setExpired(why === 'expired');
  }, []);

  // Signed out in another tab: the session this tab showed is over (and the cookie cleared).
  useEffect(() => onSignedOutElsewhere(() => signOut('changed')), [signOut]);

  // A token kept from earlier in this tab is checked again: it may have been revoked since.
  useEffect(() => {
    if (!token || me) return;
    whoami(token).then(setMe, () => signOut('expired'));
  }, [token, me, signOut]);

  // After a refusal: the person's roles as the server sees them now. A role taken away while the page
  // was open left its buttons offered, each refused in turn, until a reload. Only a change re-renders
  // (a page whose read is refused would otherwise load again and again).
  const recheck = useCallback((t: string) => {
    whoami(t).then(
      (now) => setMe((was) => (was && JSON.stringify(was) === JSON.stringify(now) ? was : now)),
      () => undefined,
    );
  }, []);

  const session = useMemo(
    () =>
      token && me
        ? {
            api: createApi(
              token,
              () => signOut('expired'),
              () => signOut('changed'),
              () => recheck(token),
            ),
            me,
            signOut: () => signOut(),
          }
        : null,
    [token, me, signOut, recheck],
  );

  const page = PAGES.find((p) => p.path === path) ?? null;
  useEffect(() => {
    document.title = session ? `${page?.label ?? 'Not found'} · Fulcrum` : 'Sign in · Fulcrum';
  }, [session, page]);

  if (!token)
    return (
      <SignIn
        expired={expired}
        onSignedIn={(t, who) => {
          saveToken(t);
          setMe(who);
          setToken(t);
          setExpired(false);
        }}
      />
    );
  if (!session) return <Loading label="Signing in…" />;
  return (
    <SessionContext.Provider value={session}>
      <Layout pages={PAGES} current={path}>
        {page ? page.render() : <NotFound />}
      </Layout>
    </SessionContext.Provider>
  );
}

function NotFound() {
  return (
    <div className="card">
      <h1>Page not found</h1>
      <p>There is no console page at this address. Use the navigation to pick one.</p>
    </div>
  );
}
