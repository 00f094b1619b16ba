// Single sign-on in a real browser: Debian's Chromium signs a person in to the console through a real
// OpenID Provider (oidc-provider on 127.0.0.1) against a real Fulcrum process — the session is an
// httpOnly cookie the page never sees, a cross-site form cannot use it, "Sign out" ends it, and a
// person the registry does not know is refused with a clear page. Screenshots go to test-results/.
/// <reference lib="dom" />
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { ACME_STDIO, readBundle } from '../support/files.js';
import { type Idp, startIdp } from '../support/oidc.js';
import { freePort } from '../support/ports.js';
import { BIN, call } from '../support/process.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';

const ADMIN = 'fat_e2e-sso-admin-token';
const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

/** `fulcrum serve` on a port chosen first: FULCRUM_PUBLIC_URL (the redirect URI) must name it. */
async function serveOn(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const proc = spawn(BIN, ['serve'], { env: { ...env, FULCRUM_PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`serve did not start:\n${stderr}`));
    }, 20_000);
    proc.stderr?.on('data', (d) => {
      stderr += d;
      if (stderr.includes('Fulcrum listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
  });
  return proc;
}

describe('signing in to the console through the IdP, in Chromium', () => {
  let db: TestDatabase;
  let idp: Idp;
  let fulcrum: ChildProcess | undefined;
  let attacker: http.Server | undefined;
  let browser: Browser | undefined;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    idp = await startIdp([
      {
        client_id: 'fulcrum-console',
        client_secret: 'console-secret',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${url}/auth/callback`],
      },
    ]);
    fulcrum = await serveOn(port, {
      PATH: process.env.PATH,
      FULCRUM_DATA_DIR: db.dir,
      FULCRUM_ADMIN_TOKEN: ADMIN,
      FULCRUM_MONITOR_INTERVAL_SECONDS: '0',
      FULCRUM_PUBLIC_URL: url,
      FULCRUM_OIDC_ISSUER: idp.issuer,
      FULCRUM_OIDC_CLIENT_ID: 'fulcrum-console',
      FULCRUM_OIDC_CLIENT_SECRET: 'console-secret',
      FULCRUM_OIDC_NAME: 'Acme IdP',
      FULCRUM_MCP_STDIO_ALLOW: JSON.stringify([ACME_STDIO]),
    });
    const applied = await call(url, ADMIN, 'POST', '/v1/apply', { files: readBundle(MINI) });
    expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    attacker?.close();
    if (fulcrum && fulcrum.exitCode === null) {
      const exited = new Promise((r) => fulcrum?.once('exit', r));
      fulcrum.kill('SIGTERM');
      await exited;
    }
    await idp?.stop();
    await db?.drop();
  });

  async function context(): Promise<BrowserContext> {
    const ctx = await (browser as Browser).newContext({ viewport: { width: 1280, height: 900 } });
    // The IdP's dev pages import a web font; this machine has no network.
    await ctx.route(/fonts\.googleapis\.com/, (r) => r.abort());
    return ctx;
  }

  /** From the console's sign-in page through the IdP's login and consent pages, as `email`. */
  async function signInAs(ctx: BrowserContext, email: string) {
    const { page, errors } = await openPage(ctx);
    await page.goto(`${url}/agents`);
    await page.getByRole('link', { name: 'Sign in with Acme IdP' }).click();
    await page.locator('input[name="login"]').fill(email);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    // The test IdP grants what Fulcrum asks for (no consent page): the browser comes straight back.
    await page.waitForURL((u) => u.origin === url);
    return { page, errors };
  }

  it('signs a person in through the IdP: an httpOnly cookie, their roles, back on the page they asked for', async () => {
    const ctx = await context();
    const { page, errors } = await signInAs(ctx, 'dana.lee@acme.example');
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/agents');
    await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    await expect.poll(() => page.locator('.who-name').textContent()).toBe('dana.lee');
    const cookies = await ctx.cookies(url);
    const session = cookies.find((c) => c.name === 'fulcrum_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(session?.value).toMatch(/^fss_/);
    // The page never holds the session secret.
    const visible = await page.evaluate(
      () => document.cookie + JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }),
    );
    expect(visible).not.toContain(session?.value as string);
    await screenshot(page, 'sign-in-sso-signed-in');

    // A change through the console carries its CSRF header; the same request without it is refused.
    const made = await page.evaluate(async () => {
      const csrf = sessionStorage.getItem('fulcrum.csrf') ?? '';
      const bare = await fetch('/v1/people/dana.lee/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const good = await fetch('/v1/people/dana.lee/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fulcrum-csrf': csrf },
        body: '{}',
      });
      return [bare.status, good.status];
    });
    expect(made).toEqual([403, 201]);

    // Another site's form cannot act with the cookie (SameSite, and no CSRF header).
    const before = (await call(url, ADMIN, 'GET', '/v1/people/dana.lee/tokens')).json.items.length;
    attacker = http.createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<form id="f" method="post" action="${url}/v1/people/dana.lee/tokens" enctype="text/plain"><input name='{"a":"' value='"}'></form><script>document.getElementById('f').submit()</script>`,
        ),
    );
    await new Promise<void>((r) => attacker?.listen(0, '127.0.0.1', r));
    const evil = await ctx.newPage();
    // localhost is another site than 127.0.0.1 for the browser.
    const landed = evil.waitForURL(`${url}/v1/people/dana.lee/tokens`);
    await evil.goto(`http://localhost:${(attacker.address() as net.AddressInfo).port}/`);
    await landed;
    expect(await evil.locator('body').textContent()).toMatch(/unauthorized|forbidden|unsupported_media_type/);
    expect((await call(url, ADMIN, 'GET', '/v1/people/dana.lee/tokens')).json.items.length).toBe(before);

    // Sign out ends the server's session, not only the tab's.
    const value = session?.value as string;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with Acme IdP' }).waitFor();
    await expect.poll(async () => (await ctx.cookies(url)).some((c) => c.name === 'fulcrum_session')).toBe(false);
    const after = await fetch(`${url}/v1/whoami`, { headers: { cookie: `fulcrum_session=${value}` } });
    expect(after.status).toBe(401);
    await screenshot(page, 'sign-in-sso-signed-out');
    const audit = (await call(url, ADMIN, 'GET', '/v1/audit?limit=20')).json.items.map((e: { kind: string }) => e.kind);
    expect(audit).toEqual(expect.arrayContaining(['auth.signed-in', 'auth.signed-out']));
    expect(errors.filter((e) => !/401|403|Failed to load resource/.test(e))).toEqual([]);
    await ctx.close();
  });

  it('keeps a tab working after another tab signed in again, and its "Sign out" then ends the browser session', async () => {
    const ctx = await context();
    const { page: first, errors } = await signInAs(ctx, 'dana.lee@acme.example');
    await first.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    const sessionCookie = async () => (await ctx.cookies(url)).find((c) => c.name === 'fulcrum_session')?.value;
    const second = await ctx.newPage();
    await second.goto(`${url}/agents`);
    await second.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    /**
     * The second tab of the same browser signs in again (straight to /auth/login, as a bookmark or the
     * IdP's portal would): the cookie names a new session, and the one the first tab signed in with ends.
     */
    const signInAgain = async (email: string) => {
      const before = await sessionCookie();
      await second.bringToFront();
      // Another person signs in at the IdP afresh: its own cookies go (Fulcrum's stay).
      if (email !== 'dana.lee@acme.example') await ctx.clearCookies({ name: /^(?!fulcrum_)/ });
      await second.goto(`${url}/auth/login?returnTo=/agents`);
      // The IdP remembers who signed in there, and may not ask again.
      const login = second.locator('input[name="login"]');
      if (await login.isVisible().catch(() => false)) {
        await login.fill(email);
        await second.locator('input[name="password"]').fill('any password');
        await second.getByRole('button', { name: 'Sign-in' }).click();
      }
      await second.waitForURL((u) => u.origin === url && u.pathname === '/agents');
      await expect
        .poll(() => second.locator('.who-name').textContent())
        .toBe(email === 'vic@acme.example' ? 'vic.viewer' : 'dana.lee');
      const now = await sessionCookie();
      expect(now).toMatch(/^fss_/);
      expect(now).not.toBe(before);
      await first.bringToFront();
      return now as string;
    };

    // The first tab, still showing its page, suspends an agent: the change is made, where it was
    // refused as a cross-site request (the tab sent the CSRF token of the session that had ended).
    await signInAgain('dana.lee@acme.example');
    const row = first.locator('tr[data-agent="support-bot-eu"]');
    await row.getByRole('button', { name: 'Suspend' }).click();
    const dialog = first.getByRole('dialog', { name: 'Suspend support-bot-eu?' });
    await dialog.getByLabel(/Reason/).fill('Checking the console after a second sign-in');
    await dialog.getByRole('button', { name: 'Suspend agent' }).click();
    // Refused, the dialog stays open and shows the server's message.
    await expect
      .poll(async () =>
        (await dialog.count()) === 0 ? 'closed' : (await dialog.getByRole('alert').allTextContents()).join(' ') || 'open',
      )
      .toBe('closed');
    await expect.poll(() => row.locator('.pill').last().textContent()).toBe('Suspended');
    await row.getByRole('button', { name: 'Resume' }).click();
    const resume = first.getByRole('dialog', { name: 'Resume support-bot-eu?' });
    await resume.getByLabel(/Reason/).fill('Checked');
    await resume.getByRole('button', { name: 'Resume agent' }).click();
    await expect.poll(() => row.locator('.pill').last().textContent()).toBe('Active');

    // Another person signs in in the second tab: the first tab, asked for a change, is refused and
    // shows who the browser is signed in as now; nothing is changed in dana.lee's name or vic's.
    const vic = { spec: { displayName: 'Vic Viewer', roles: ['viewer'], email: 'vic@acme.example' } };
    expect((await call(url, ADMIN, 'PUT', '/v1/people/vic.viewer', vic)).status).toBe(200);
    const vics = await signInAgain('vic@acme.example');
    await row.getByRole('button', { name: 'Suspend' }).click();
    await dialog.getByLabel(/Reason/).fill('Not vic’s to do');
    await dialog.getByRole('button', { name: 'Suspend agent' }).click();
    await expect.poll(() => first.locator('.who-name').textContent()).toBe('vic.viewer');
    expect(await first.locator('tr[data-agent="support-bot-eu"] .pill').last().textContent()).not.toBe('Suspended');
    expect((await fetch(`${url}/v1/whoami`, { headers: { cookie: `fulcrum_session=${vics}` } })).status).toBe(200);

    // "Sign out" in the first tab signs the browser out: the session its cookie names ends on the
    // server. It was refused, the session stayed, and the sign-in page took it up again at once.
    const third = await signInAgain('vic@acme.example');
    await first.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(sessionCookie, { timeout: 10_000 }).toBeUndefined();
    await first.getByRole('link', { name: 'Sign in with Acme IdP' }).waitFor();
    const after = await fetch(`${url}/v1/whoami`, { headers: { cookie: `fulcrum_session=${third}` } });
    expect(after.status).toBe(401);
    expect(await first.getByRole('navigation', { name: 'Console' }).count()).toBe(0);
    expect(errors.filter((e) => !/401|403|Failed to load resource/.test(e))).toEqual([]);
    await ctx.close();
  });

  it('signs every tab of the browser out when one signs out: none keeps showing what the session read', async () => {
    const ctx = await context();
    const { page: first, errors } = await signInAs(ctx, 'dana.lee@acme.example');
    await first.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    await first.locator('tr[data-agent="support-bot-eu"]').waitFor();
    const second = await ctx.newPage();
    await second.goto(`${url}/policies`);
    await second.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();

    // The person signs out in the tab they look at and walks away from a shared machine; the other
    // tab (the Agents page polls nothing) showed the registry until someone clicked in it.
    await second.getByRole('button', { name: 'Sign out' }).click();
    await second.getByRole('link', { name: 'Sign in with Acme IdP' }).waitFor();
    await first.getByRole('link', { name: 'Sign in with Acme IdP' }).waitFor({ timeout: 5_000 });
    expect(await first.locator('tr[data-agent="support-bot-eu"]').count()).toBe(0);
    expect(await first.getByRole('navigation', { name: 'Console' }).count()).toBe(0);
    expect(errors.filter((e) => !/401|403|Failed to load resource/.test(e))).toEqual([]);
    await ctx.close();
  });

  it('shows a person where they are signed in, and ends the session they do not recognise', async () => {
    const laptop = await context();
    const phone = await context();
    const { page, errors } = await signInAs(laptop, 'dana.lee@acme.example');
    const { page: other } = await signInAs(phone, 'dana.lee@acme.example');
    await other.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    await page.getByRole('link', { name: 'Your sessions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your sessions' }).waitFor();
    // dana.lee has no sessions.manage: her own sessions, and no form to look up another person's.
    expect(await page.getByRole('form', { name: "Look up a person's sessions" }).count()).toBe(0);
    const rows = page.locator('tr[data-session]');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const mine = page.locator('tr[data-session]', { hasText: 'this one' });
    expect(await mine.count()).toBe(1);
    // The newest is the phone's: ended from the laptop.
    const phoneRow = rows.last();
    const phoneId = (await phoneRow.getAttribute('data-session')) as string;
    expect(await phoneRow.textContent()).not.toContain('this one');
    await phoneRow.getByRole('button', { name: 'End' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Ended ${phoneId}.` })
      .waitFor();
    await expect.poll(() => page.locator(`tr[data-session="${phoneId}"]`).count()).toBe(0);
    await screenshot(page, 'sessions-ended-one');
    // The phone's next request is refused: it is back at the sign-in page.
    await other.reload();
    await other.getByRole('link', { name: 'Sign in with Acme IdP' }).waitFor();
    // The laptop goes on.
    expect((await page.request.get(`${url}/v1/whoami`)).status()).toBe(200);
    const ended = (await call(url, ADMIN, 'GET', '/v1/audit?kind=auth.signed-out&limit=20')).json.items;
    expect(ended).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'person:dana.lee', detail: expect.objectContaining({ sessions: [phoneId] }) }),
      ]),
    );
    expect(errors.filter((e) => !/401|403|Failed to load resource/.test(e))).toEqual([]);
    await laptop.close();
    await phone.close();
  });

  it('refuses a person with no Person descriptor with a clear page, and signs nobody in', async () => {
    const people = (await call(url, ADMIN, 'GET', '/v1/people')).json.items.length;
    const ctx = await context();
    const { page } = await signInAs(ctx, 'mallory@elsewhere.example');
    await page.getByRole('heading', { name: 'Sign-in refused' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain(
      'You signed in as mallory@elsewhere.example, but no Person in Fulcrum has that email',
    );
    expect((await ctx.cookies(url)).some((c) => c.name === 'fulcrum_session')).toBe(false);
    await screenshot(page, 'sign-in-sso-refused');
    await page.getByRole('link', { name: 'Back to the console' }).click();
    await page.getByRole('link', { name: 'Sign in with Acme IdP' }).waitFor();
    expect((await call(url, ADMIN, 'GET', '/v1/people')).json.items.length).toBe(people);
    await ctx.close();
  });

  it('keeps the API-token form one click away', async () => {
    const ctx = await context();
    const { page } = await openPage(ctx);
    await page.goto(`${url}/`);
    await page.getByText('Use an API token instead').click();
    await page.getByLabel('API token').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    await ctx.close();
  });
});
