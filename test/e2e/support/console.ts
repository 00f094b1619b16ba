// The start of a console test: `fulcrum serve` on a fresh database of one engine, the Acme example
// with its evidence when asked (seed.ts), and Chromium to drive it — closed together, whatever failed.
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { createTestDatabase, type Engine, type TestDatabase } from '../../support/databases.js';
import { type Served, serve, stop } from '../../support/process.js';
import { launchBrowser, type SignedInTab, signedInTab } from './browser.js';
import { type Seeded, seed } from './seed.js';

export interface ConsoleOptions {
  /** The server's FULCRUM_ADMIN_TOKEN. */
  admin: string;
  /** Apply examples/acme and send its evidence (seed.ts) before the browser starts. */
  seed?: boolean;
  /** More environment for `fulcrum serve`; monitors never run on their own unless it says otherwise. */
  env?: NodeJS.ProcessEnv;
}

export interface ConsoleUnderTest {
  url: string;
  /** The server's environment: a `fulcrum` command run with it (and FULCRUM_URL) uses this server's data. */
  env: NodeJS.ProcessEnv;
  browser: Browser;
  /** A fresh tab (its own context and sessionStorage) on the console, signed in with `token`. */
  signedIn(token: string, options?: BrowserContextOptions): Promise<SignedInTab>;
  /** Closes the browser, stops the server and drops its database, each even when one before failed. */
  close(): Promise<void>;
}

export interface SeededConsole extends ConsoleUnderTest {
  seeded: Seeded;
}

export function startConsole(engine: Engine, options: ConsoleOptions & { seed: true }): Promise<SeededConsole>;
export function startConsole(engine: Engine, options: ConsoleOptions): Promise<ConsoleUnderTest>;
export async function startConsole(engine: Engine, options: ConsoleOptions): Promise<ConsoleUnderTest | SeededConsole> {
  let db: TestDatabase | undefined;
  let server: Served | undefined;
  let browser: Browser | undefined;
  const close = () => closeAll(browser, server, db);
  try {
    db = await createTestDatabase(engine);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      FULCRUM_DATA_DIR: db.dir,
      ...(db.url ? { FULCRUM_DATABASE_URL: db.url } : {}),
      FULCRUM_ADMIN_TOKEN: options.admin,
      FULCRUM_MONITOR_INTERVAL_SECONDS: '0',
      ...options.env,
    };
    server = await serve(env);
    const url = server.url;
    const seeded = options.seed ? await seed(url, options.admin, env) : undefined;
    const launched = await launchBrowser();
    browser = launched;
    const started: ConsoleUnderTest = {
      url,
      env,
      browser: launched,
      signedIn: (token, tab) => signedInTab(launched, url, token, tab),
      close,
    };
    return seeded ? { ...started, seeded } : started;
  } catch (err) {
    try {
      await close();
    } catch (closing) {
      throw new AggregateError([err, closing], 'the console did not start, and closing what had started failed too');
    }
    throw err;
  }
}

async function closeAll(browser: Browser | undefined, server: Served | undefined, db: TestDatabase | undefined) {
  try {
    await browser?.close();
  } finally {
    try {
      await stop(server);
    } finally {
      await db?.drop();
    }
  }
}
