// Debian's Chromium driven by playwright-core: launch (failing loudly when it is missing), pages
// that record console errors, and screenshots under test-results/.
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { ROOT } from '../../support/process.js';

export const CHROMIUM = process.env.FULCRUM_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const RESULTS = path.join(ROOT, 'test-results');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the console's end-to-end tests need it. ` +
        'Install it with `apt-get install -y chromium` (.ci/run does), or set FULCRUM_E2E_CHROMIUM.',
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Background networking off: this machine's network is closed and Chromium would keep trying.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen since the page opened. */
  errors: string[];
}

export async function openPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  return { page, errors };
}

export interface SignedInTab extends WatchedPage {
  context: BrowserContext;
}

/** A fresh tab (its own context, so its own sessionStorage) on the console at `url`, signed in with an API token. */
export async function signedInTab(
  browser: Browser,
  url: string,
  token: string,
  options: BrowserContextOptions = {},
): Promise<SignedInTab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const { page, errors } = await openPage(context);
  await page.goto(`${url}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signing in checks the token with the server before it is kept; navigating away sooner would land
  // on the sign-in form again.
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
