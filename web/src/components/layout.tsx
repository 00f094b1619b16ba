// The frame around every page: the navigation (a sidebar, a menu on a phone), who is signed in.
import { type ReactNode, useEffect, useState } from 'react';
import type { PageDef } from '../app';
import { Link } from '../lib/router';
import { useSession } from '../lib/use-api';

export function Layout({ pages, current, children }: { pages: PageDef[]; current: string; children: ReactNode }) {
  const { me, signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the phone menu whenever the page changes
  useEffect(() => setMenuOpen(false), [current]);
  const groups = [...new Set(pages.map((p) => p.group))];
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className={`sidebar ${menuOpen ? 'open' : ''}`}>
        <div className="brand">
          <Link href="/" className="brand-link">
            <Logo />
            <span>Fulcrum</span>
          </Link>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="nav"
            onClick={() => setMenuOpen((o) => !o)}
          >
            {menuOpen ? 'Close' : 'Menu'}
          </button>
        </div>
        <nav id="nav" aria-label="Console">
          {groups.map((g) => (
            <div key={g} className="nav-group">
              <div className="nav-group-label">{g}</div>
              <ul>
                {pages
                  .filter((p) => p.group === g)
                  .map((p) => (
                    <li key={p.path}>
                      <Link href={p.path} aria-current={p.path === current ? 'page' : undefined}>
                        {p.label}
                      </Link>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
          <div className="nav-foot">
            <div className="who" title={me.roles?.join(', ')}>
              <span className="who-name">{me.id}</span>
              <span className="who-roles">{me.type === 'admin' ? 'administrator' : (me.roles ?? []).join(' · ')}</span>
            </div>
            <button type="button" className="btn btn-ghost" onClick={signOut}>
              Sign out
            </button>
          </div>
        </nav>
      </aside>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

export function Logo() {
  return (
    <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#3b82f6" />
      <path
        d="M6 23h20M16 8l-7 15h14z"
        stroke="#fff"
        strokeWidth="2.6"
        fill="none"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  );
}
