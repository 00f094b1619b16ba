// The web console in a real browser (Debian's Chromium via playwright-core) against a real Fulcrum
// process on the Acme example with evidence: sign-in, every page, approvals end to end with the
// agent SDK, the kill switch, links and keyboard. Screenshots of every page go to test-results/.
/// <reference lib="dom" />
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../src/sdk/index.js';
import { readMini } from '../support/files.js';
import { call } from '../support/process.js';
import { openPage, type SignedInTab, screenshot } from './support/browser.js';
import { type ConsoleUnderTest, type SeededConsole, startConsole } from './support/console.js';

const ADMIN = 'fat_e2e-admin-token';
const PAGES = [
  { path: '/', name: 'overview', heading: 'Are we scaling or failing?' },
  { path: '/portfolio', name: 'portfolio', heading: 'Portfolio' },
  { path: '/initiatives', name: 'initiatives', heading: 'Initiatives' },
  { path: '/budget', name: 'budget', heading: 'Budget' },
  { path: '/report', name: 'report', heading: 'Board report' },
  { path: '/registry', name: 'registry', heading: 'Registry' },
  { path: '/agents', name: 'agents', heading: 'Agents' },
  { path: '/approvals', name: 'approvals', heading: 'Approvals' },
  { path: '/audit', name: 'audit', heading: 'Audit log' },
  { path: '/policies', name: 'policies', heading: 'Policies' },
  { path: '/incidents', name: 'incidents', heading: 'Incidents' },
  { path: '/reviews', name: 'reviews', heading: 'Reviews' },
  { path: '/sessions', name: 'sessions', heading: 'Your sessions' },
];

describe('the web console in Chromium', () => {
  let app: SeededConsole;

  beforeAll(async () => {
    app = await startConsole('sqlite', { admin: ADMIN, seed: true });
  }, 90_000);
  afterAll(() => app?.close());

  /** A fresh tab (own sessionStorage), signed in as maria.okafor unless another token is given. */
  async function signedIn(token = app.seeded.personToken): Promise<SignedInTab> {
    return app.signedIn(token, { deviceScaleFactor: 1 });
  }

  /** Waits until the page's heading is there and nothing is still loading. */
  async function settled(page: Page, heading: string): Promise<void> {
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0, undefined, { timeout: 15_000 });
    await page.waitForLoadState('networkidle');
  }

  it('refuses a bad token with a clear message and keeps nothing', async () => {
    const context = await app.browser.newContext();
    const { page, errors } = await openPage(context);
    await page.goto(`${app.url}/`);
    await page.getByLabel('API token').fill('fpt_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('This token is not valid');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(page.url()).not.toContain('fpt_');
    await screenshot(page, 'sign-in-bad-token');
    // The 401 from /v1/whoami is the browser's own console line, not the app's.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    await context.close();
  });

  it('shows the verdict, the six areas with their evidence, outcomes and spend on the Overview', async () => {
    const { context, page, errors } = await signedIn();
    await settled(page, 'Are we scaling or failing?');
    const diagnostic = (await call(app.url, ADMIN, 'GET', '/v1/diagnostic')).json;
    const label = { scale: 'Scaling', 'at-risk': 'At risk', fail: 'Failing' }[diagnostic.verdict as string] as string;
    await expect.poll(() => page.locator('.verdict-label').textContent()).toBe(label);
    expect(await page.locator('.area').count()).toBe(6);
    const first = diagnostic.areas[0];
    const button = page.locator('.area').first().locator('button.link-button');
    await button.click();
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
    const evidence = page.locator('.area').first().locator('.evidence');
    expect(await evidence.isVisible()).toBe(true);
    expect(await evidence.textContent()).toContain(first.evidence[0].label);
    // Seeded telemetry gives measured outcomes, each labelled with its provenance.
    expect(await page.locator('.outcome-list li').count()).toBeGreaterThan(0);
    expect(await page.locator('.outcome-list .prov-measured').count()).toBeGreaterThan(0);
    expect(await page.getByText('Spent', { exact: true }).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("approves an agent's request in the UI, and the agent's waiting call then proceeds", async () => {
    const guard = createGuard({ url: app.url, key: await app.seeded.agentKey('support-bot-eu'), approvalTimeoutMs: 30_000 });
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/approvals`);
    await settled(page, 'Approvals');

    let ran = false;
    const args = { orderId: 'A-7731', amount: 900, currency: 'EUR', reason: 'damaged' };
    const call_ = guard.run('crm.refund', args, async () => {
      ran = true;
      return 'refunded';
    });
    // The queue polls every 2 s: the request shows up without a reload, with its exact arguments
    // (the margin over 2 s is for a busy CI machine, not for a slower poll).
    const card = page.locator('article.approval').filter({ hasText: 'crm.refund' });
    await card.waitFor({ timeout: 8000 });
    expect(await card.locator('pre').textContent()).toContain('"orderId": "A-7731"');
    expect(await card.textContent()).toContain('Refunds over 500 need a supervisor');
    expect(ran).toBe(false);
    await screenshot(page, 'approvals-pending');

    await card.getByLabel(/Comment/).fill('Photo of the damage checks out');
    await card.getByRole('button', { name: 'Approve' }).click();
    expect(await call_).toBe('refunded');
    expect(ran).toBe(true);
    await card.waitFor({ state: 'detached' });

    const approvals = (await call(app.url, ADMIN, 'GET', '/v1/approvals?limit=5')).json.items;
    const decided = approvals.find((a: any) => a.arguments.orderId === 'A-7731');
    expect(decided).toMatchObject({
      status: 'used',
      decidedBy: 'person:maria.okafor',
      comment: 'Photo of the damage checks out',
    });
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("denies an agent's request in the UI, and the agent's waiting call is refused", async () => {
    const guard = createGuard({ url: app.url, key: await app.seeded.agentKey('support-bot-eu'), approvalTimeoutMs: 30_000 });
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/approvals`);
    await settled(page, 'Approvals');
    let ran = false;
    const refused = guard
      .run('crm.refund', { orderId: 'A-9904', amount: 2400, currency: 'EUR', reason: 'goodwill' }, () => {
        ran = true;
      })
      .then(
        () => null,
        (err: Error) => err,
      );
    const card = page.locator('article.approval').filter({ hasText: 'A-9904' });
    await card.waitFor({ timeout: 8000 });
    await card.getByLabel(/Comment/).fill('Goodwill above 500 needs the customer history first');
    await card.getByRole('button', { name: 'Deny' }).click();
    const err = await refused;
    expect(err?.name).toBe('FulcrumDenied');
    expect(err?.message).toContain('was denied');
    expect(ran).toBe(false);
    const row = page.locator('table tr').filter({ hasText: 'Goodwill above 500' });
    await expect.poll(() => row.locator('.pill').textContent()).toBe('Denied');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('suspends an agent from the UI (with confirmation and reason): its next decision is a deny', async () => {
    const key = await app.seeded.agentKey('support-bot-us');
    const ask = async () =>
      (
        await call(app.url, key, 'POST', '/v1/decisions', {
          action: 'tool.call',
          tool: 'kb.search',
          arguments: { query: 'return policy' },
        })
      ).json;
    expect((await ask()).decision).toBe('allow');

    // The platform team holds the kill switch (or an agent's owner, for their own agents).
    const { context, page, errors } = await signedIn(app.seeded.platformToken);
    await page.goto(`${app.url}/agents`);
    await settled(page, 'Agents');
    const row = page.locator('tr[data-agent="support-bot-us"]');
    // An agent its descriptor suspends is resumed by a registry change: the kill switch's Resume,
    // offered, did nothing.
    const byDescriptor = page.locator('tr[data-agent="support-bot-de"]');
    expect(await byDescriptor.locator('.pill').last().textContent()).toBe('Suspended');
    expect(await byDescriptor.getByRole('button', { name: 'Resume' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Suspend' }).click();
    const dialog = page.getByRole('dialog', { name: 'Suspend support-bot-us?' });
    await dialog.waitFor();
    // No reason, no suspension.
    await dialog.getByRole('button', { name: 'Suspend agent' }).click();
    expect(await dialog.isVisible()).toBe(true);
    expect((await ask()).decision).toBe('allow');
    await dialog.getByLabel(/Reason/).fill('Quoting prices from the wrong region');
    await screenshot(page, 'agents-suspend-dialog');
    await dialog.getByRole('button', { name: 'Suspend agent' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.locator('.pill').last().textContent()).toBe('Suspended');

    const next = await ask();
    expect(next.decision).toBe('deny');
    expect(JSON.stringify(next.reasons)).toMatch(/suspend/i);

    await row.getByRole('button', { name: 'Resume' }).click();
    const resume = page.getByRole('dialog', { name: 'Resume support-bot-us?' });
    await resume.getByLabel(/Reason/).fill('Region fixed');
    await resume.getByRole('button', { name: 'Resume agent' }).click();
    await expect.poll(async () => (await ask()).decision).toBe('allow');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("offers an agent's owner the kill switch the server lets them use: no Resume of a suspension not theirs to lift", async () => {
    const { token } = (await call(app.url, ADMIN, 'POST', '/v1/people/omar.haddad/tokens', {})).json;
    const agent = 'support-goodwill-eu';
    const suspended = await call(app.url, ADMIN, 'POST', `/v1/agents/${agent}/suspend`, { reason: 'Vouchers over the limit' });
    expect(suspended.status).toBe(200);
    const { context, page, errors } = await signedIn(token);
    await page.goto(`${app.url}/agents`);
    await settled(page, 'Agents');
    const row = page.locator(`tr[data-agent="${agent}"]`);
    await expect.poll(() => row.locator('.pill').last().textContent()).toBe('Suspended');
    // The platform team's suspension (here the admin's) is lifted by the platform team only: the
    // owner's Resume was offered, and refused.
    expect(await row.getByRole('button', { name: 'Resume' }).count()).toBe(0);

    // Their own suspension the owner lifts.
    expect((await call(app.url, ADMIN, 'POST', `/v1/agents/${agent}/resume`, { reason: 'Checked' })).status).toBe(200);
    await page.reload();
    await settled(page, 'Agents');
    await row.getByRole('button', { name: 'Suspend' }).click();
    const dialog = page.getByRole('dialog', { name: `Suspend ${agent}?` });
    await dialog.getByLabel(/Reason/).fill('Checking the vouchers');
    await dialog.getByRole('button', { name: 'Suspend agent' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByRole('button', { name: 'Resume' }).click();
    const resume = page.getByRole('dialog', { name: `Resume ${agent}?` });
    await resume.getByLabel(/Reason/).fill('Vouchers checked');
    await resume.getByRole('button', { name: 'Resume agent' }).click();
    await resume.waitFor({ state: 'detached' });
    await expect.poll(() => row.locator('.pill').last().textContent()).toBe('Active');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("offers no Approve or Deny to an approver who owns the call's agent: the server refuses them (separation of duties)", async () => {
    // omar.haddad is an approver and owns support-bot-eu.
    const { token } = (await call(app.url, ADMIN, 'POST', '/v1/people/omar.haddad/tokens', {})).json;
    const key = await app.seeded.agentKey('support-bot-eu');
    const args = { orderId: 'SOD-4410', amount: 720, currency: 'EUR', reason: 'damaged' };
    const asked = await call(app.url, key, 'POST', '/v1/decisions', { action: 'tool.call', tool: 'crm.refund', arguments: args });
    expect(asked.json.decision, JSON.stringify(asked.json)).toBe('approval_required');
    const { context, page, errors } = await signedIn(token);
    await page.goto(`${app.url}/approvals`);
    await settled(page, 'Approvals');
    const card = page.locator('article.approval').filter({ hasText: 'SOD-4410' });
    await card.waitFor();
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Deny' }).count()).toBe(0);
    expect(await card.textContent()).toContain('you own support-bot-eu');
    // Another approver decides it, in the console.
    const other = await signedIn();
    await other.page.goto(`${app.url}/approvals`);
    const theirs = other.page.locator('article.approval').filter({ hasText: 'SOD-4410' });
    await theirs.getByRole('button', { name: 'Deny' }).click();
    await theirs.waitFor({ state: 'detached' });
    expect([...errors, ...other.errors]).toEqual([]);
    await other.context.close();
    await context.close();
  });
  it("shows telemetry that named another agent than its key's as an attribution mismatch on Agents", async () => {
    const key = await app.seeded.agentKey('support-bot-us');
    const endedAt = new Date(Date.now() - 60_000).toISOString();
    const sent = await call(app.url, key, 'POST', '/v1/events', {
      events: [
        { type: 'task.completed', agent: 'support-bot-eu', taskId: 'e2e-spoof', outcome: 'failed', durationMs: 1, endedAt },
      ],
    });
    expect(sent.json).toMatchObject({ accepted: 1 });
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/agents`);
    await settled(page, 'Agents');
    const row = page.getByTestId('attribution-mismatches').locator('tbody tr').filter({ hasText: 'agent:support-bot-us' });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([
      'agent:support-bot-us',
      'support-bot-eu',
      'support-bot-us',
      '0',
      '1',
      expect.any(String),
      expect.any(String),
    ]);
    await screenshot(page, 'agents-attribution-mismatch');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('links a reason in the audit log to its policy, and the tester answers without recording', async () => {
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/audit`);
    await settled(page, 'Audit log');
    expect(await page.getByText('Chain intact.').count()).toBe(1);
    await page.getByLabel('Decision').selectOption('approval_required');
    // The filtered list replaces the unfiltered one: a link found before it has rendered may be gone
    // (or moved) by the time it is clicked, and that click then navigates nowhere.
    await page.getByRole('button', { name: 'Filter' }).click();
    const decisions = () => page.locator('table tbody tr td:nth-child(4)').allTextContents();
    await expect
      .poll(async () => {
        const shown = await decisions();
        return shown.length > 0 && shown.every((d) => d === 'Approval required');
      })
      .toBe(true);
    const link = page.getByRole('link', { name: 'refund-supervisor-approval' }).first();
    await link.click();
    await page.waitForURL(/\/policies#refund-supervisor-approval$/);
    const policy = page.locator('[id="refund-supervisor-approval"]');
    await policy.waitFor();
    expect(await policy.textContent()).toContain('context.arguments.amount > 500');

    const before = (await call(app.url, ADMIN, 'GET', '/v1/audit/verify')).json.entries;
    await page.getByLabel('Agent').selectOption('support-bot-eu');
    await page.getByLabel('Tool', { exact: true }).selectOption('crm.refund');
    await page.getByLabel('Arguments (JSON)').fill('{"orderId":"A-1","amount":900,"currency":"EUR","reason":"damaged"}');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await expect.poll(() => page.locator('.sim .pill').first().textContent()).toBe('Approval required');
    expect((await call(app.url, ADMIN, 'GET', '/v1/audit/verify')).json.entries).toBe(before);
    await screenshot(page, 'policies-tester');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('downloads the board report through the API with the token in a header, never in a URL', async () => {
    const { context, page, errors } = await signedIn();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${app.url}/report`);
    await settled(page, 'Board report');
    // The preview is the HTML edition in a frame that runs no script.
    const frame = page.frameLocator('iframe[title="Board report preview"]');
    expect(await frame.locator('body').textContent()).toMatch(/scal/i);

    const save = async (label: RegExp) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
      return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
    };
    const md = await save(/Markdown/);
    expect(md.name).toMatch(/^board-report-\d{4}-\d{2}-\d{2}\.md$/);
    expect(md.bytes.toString('utf8')).toMatch(/^# /);
    const pdf = await save(/PDF/);
    expect(pdf.name).toMatch(/\.pdf$/);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    expect(requested.filter((u) => u.includes('/v1/report?format=')).length).toBeGreaterThanOrEqual(3);
    expect(requested.filter((u) => u.includes(app.seeded.personToken))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('imports a spend file on the Budget page, says a re-import booked nothing, and withdraws it with confirmation', async () => {
    const { context, page, errors } = await signedIn(app.seeded.platformToken);
    await page.goto(`${app.url}/budget`);
    await settled(page, 'Budget');
    const card = page.getByRole('region', { name: 'Spend imports' });
    const file = {
      name: 'vendor-invoice.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'date,category,amount,initiative,description\n2026-03-01,data-integration,1234.5,,"ETL vendor, March"\n',
      ),
    };
    await card.getByLabel('Spend file for fy2026').setInputFiles(file);
    await expect
      .poll(() => card.getByRole('status').textContent())
      .toMatch(/Imported 1 line\(s\) from vendor-invoice\.csv as spi_/);
    const row = card.locator('tr[data-import]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('raj.patel');
    await card.getByLabel('Spend file for fy2026').setInputFiles(file);
    await expect.poll(() => card.getByRole('status').textContent()).toMatch(/was imported before/);
    expect(await row.count()).toBe(1);
    // A bad file: every bad line named, nothing booked.
    await card.getByLabel('Spend file for fy2026').setInputFiles({
      ...file,
      buffer: Buffer.from('date,category,amount,initiative,description\n2026-02-31,data-integration,5,,\n'),
    });
    await expect.poll(() => card.getByRole('alert').textContent()).toContain('line 2: date "2026-02-31" is not a day');
    expect(await row.count()).toBe(1);

    await row.getByRole('button', { name: 'Withdraw' }).click();
    const dialog = page.getByRole('dialog', { name: /^Withdraw spi_/ });
    await dialog.getByRole('button', { name: 'Withdraw import' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.count()).toBe(0);
    const withdrawn = (await call(app.url, ADMIN, 'GET', '/v1/audit?kind=spend.withdrawn&limit=5')).json.items;
    expect(withdrawn).toMatchObject([{ actor: 'person:raj.patel', detail: { budget: 'fy2026', lines: 1, total: 1234.5 } }]);
    // The browser logs the bad file's 422 itself; nothing else went wrong.
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
    await context.close();
  }, 60_000);

  it('signs off a stage-promotion review in a role the person holds', async () => {
    const { context, page, errors } = await signedIn(app.seeded.platformToken);
    await page.goto(`${app.url}/reviews`);
    await settled(page, 'Reviews');
    const card = page.locator('article.review').filter({ hasText: 'invoice-matching' });
    // raj.patel holds the platform role, not the initiative's ownership: only that role is offered.
    expect(await card.getByLabel('Sign as').locator('option').allTextContents()).toEqual(['platform']);
    await card.getByLabel('Comment').fill('Runbook and rollback reviewed');
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => card.locator('.signed-approve').textContent()).toContain('approved by raj.patel');
    const reviews = (await call(app.url, ADMIN, 'GET', '/v1/reviews?status=open')).json.items;
    const review = reviews.find((r: any) => r.initiative === 'invoice-matching');
    expect(review.signOffs).toMatchObject([
      { role: 'platform', person: 'person:raj.patel', decision: 'approve', comment: 'Runbook and rollback reviewed' },
    ]);
    expect(review.pending).not.toContain('platform');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('stops offering what a refusal shows the person may no longer do (their role taken away meanwhile)', async () => {
    const eve = (roles: string[]) => ({ spec: { displayName: 'Eve', roles, businessUnit: 'technology' } });
    expect((await call(app.url, ADMIN, 'PUT', '/v1/people/eve.approver', eve(['approver']))).status).toBeLessThan(300);
    const { token } = (await call(app.url, ADMIN, 'POST', '/v1/people/eve.approver/tokens', {})).json;
    const key = await app.seeded.agentKey('support-bot-eu');
    const args = { orderId: 'ROLE-5521', amount: 640, currency: 'EUR', reason: 'damaged' };
    const asked = await call(app.url, key, 'POST', '/v1/decisions', { action: 'tool.call', tool: 'crm.refund', arguments: args });
    expect(asked.json.decision, JSON.stringify(asked.json)).toBe('approval_required');
    const { context, page, errors } = await signedIn(token);
    await page.goto(`${app.url}/approvals`);
    await settled(page, 'Approvals');
    const card = page.locator('article.approval').filter({ hasText: 'ROLE-5521' });
    await card.getByRole('button', { name: 'Approve' }).waitFor();

    // The approver role is taken away while the page is open: the refusal is shown, and the buttons go.
    expect((await call(app.url, ADMIN, 'PUT', '/v1/people/eve.approver', eve(['viewer']))).status).toBe(200);
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('You can see the queue; deciding needs the approver role.').waitFor({ timeout: 5_000 });
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.locator('.who-roles').textContent()).toBe('viewer');
    expect(errors.filter((e) => !/403/.test(e))).toEqual([]);
    await context.close();
    const decided = await call(app.url, app.seeded.personToken, 'POST', `/v1/approvals/${asked.json.approvalId}/deny`, {});
    expect(decided.status).toBe(200);
  });

  it('offers only the sign-offs the server takes: an owner signs as owner only, one person once, the admin each role in turn', async () => {
    const opened = await call(app.url, ADMIN, 'POST', '/v1/initiatives/identity-threat-response/promotions', {
      to: 'production',
    });
    expect(opened.status, JSON.stringify(opened.json)).toBeLessThan(300);
    // amara.nwosu owns the initiative and holds reviewer:security, which its review needs.
    const { token } = (await call(app.url, ADMIN, 'POST', '/v1/people/amara.nwosu/tokens', {})).json;
    const { context, page, errors } = await signedIn(token);
    await page.goto(`${app.url}/reviews`);
    await settled(page, 'Reviews');
    const card = page.locator('article.review').filter({ hasText: 'identity-threat-response' });
    expect(await card.getByLabel('Sign as').locator('option').allTextContents()).toEqual(['owner']);
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => card.locator('.signed-approve').textContent()).toContain('approved by amara.nwosu');
    // One person gives one sign-off: reviewer:security, still waiting, is not theirs to give.
    await expect.poll(() => card.getByLabel('Sign as').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();

    // The admin token signs in every role, one after another, from the same card, each in the role
    // the list shows (the card kept the role signed first, and the next Approve asked for it again).
    const admin = await signedIn(ADMIN);
    await admin.page.goto(`${app.url}/reviews`);
    const itsCard = admin.page.locator('article.review').filter({ hasText: 'identity-threat-response' });
    const signed: string[] = [];
    for (let n = 0; n < 2; n++) {
      const shown = await itsCard.getByLabel('Sign as').inputValue();
      await itsCard.getByRole('button', { name: 'Approve' }).click();
      await expect
        .poll(
          async () =>
            (await itsCard.getByRole('alert').allTextContents()).join(' ') || (await itsCard.locator('li.signed').count()),
        )
        .toBe(2 + n);
      signed.push(`${shown} admin`);
    }
    const review = (await call(app.url, ADMIN, 'GET', '/v1/reviews?status=open')).json.items.find(
      (r: any) => r.initiative === 'identity-threat-response',
    );
    expect(review.signOffs.map((s: any) => `${s.role} ${s.person}`)).toEqual(['owner person:amara.nwosu', ...signed]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 60_000);

  it('shows a serious incident with its clock and timeline, moves it forward and records its report', async () => {
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/incidents`);
    await settled(page, 'Incidents');
    const incident = page.locator('article.incident').filter({ hasText: 'support-bot-de quoted a returns window' });
    expect(await incident.locator('.clock').textContent()).toMatch(/^Report due .*\(\d+ days left\)\.$/);
    await incident.getByRole('button', { name: 'Show timeline and actions' }).click();
    await expect.poll(() => incident.locator('.timeline li').first().textContent()).toContain('Opened');

    await incident.getByLabel('Move to').selectOption('mitigated');
    await incident.getByLabel('Note').fill('Returns answers now come from the policy page only');
    await incident.getByRole('button', { name: 'Update' }).click();
    await expect.poll(() => incident.locator('.incident-tags .pill').nth(1).textContent()).toBe('Mitigated');
    await expect
      .poll(() => incident.locator('.timeline').textContent())
      .toContain('Returns answers now come from the policy page only');

    await incident.getByLabel(/Art. 73 report/).fill('BfArM-2026-1187');
    await incident.getByRole('button', { name: 'Record report' }).click();
    await expect
      .poll(() => incident.locator('.clock').textContent())
      .toMatch(/^Reported to the authority .*\(reference BfArM-2026-1187\)\.$/);
    const api = (await call(app.url, ADMIN, 'GET', '/v1/incidents')).json.items.find((i: any) =>
      i.title.startsWith('support-bot-de'),
    );
    expect(api).toMatchObject({ status: 'mitigated', reportReference: 'BfArM-2026-1187' });
    await screenshot(page, 'incidents-actions');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('can be driven from the keyboard: the skip link, then the navigation', async () => {
    const { context, page, errors } = await signedIn();
    await settled(page, 'Are we scaling or failing?');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Tab through the brand link to the Portfolio entry, then follow it with Enter.
    let reached = false;
    for (let i = 0; i < 6 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate(() => document.activeElement?.textContent)) === 'Portfolio';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await settled(page, 'Portfolio');
    expect(new URL(page.url()).pathname).toBe('/portfolio');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('folds the navigation into a menu at phone width', async () => {
    const { context, page, errors } = await signedIn();
    await page.setViewportSize({ width: 390, height: 844 });
    await settled(page, 'Are we scaling or failing?');
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.isVisible()).toBe(false);
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    expect(await nav.isVisible()).toBe(true);
    await screenshot(page, 'phone-menu');
    await nav.getByRole('link', { name: 'Approvals' }).click();
    await settled(page, 'Approvals');
    expect(await nav.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('renders the API reference at /docs under its Content-Security-Policy, with no violation', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const { page, errors } = await openPage(context);
      const res = await page.goto(`${app.url}/docs/`);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      // Swagger UI fetched the OpenAPI document and drew its operations.
      await page.getByText('/v1/decisions', { exact: true }).first().waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  // Last, so the screenshots show the approvals, suspensions and audit entries the tests above made.
  it('loads every page without console errors, at 1280 px and at phone width', async () => {
    const { context, page, errors } = await signedIn();
    for (const p of PAGES) {
      await page.goto(`${app.url}${p.path}`);
      await settled(page, p.heading);
      expect(await page.locator('.error-note').count(), `${p.path} shows an error`).toBe(0);
      await screenshot(page, p.name);
    }
    // The token stays in sessionStorage and never in an address.
    expect(await page.evaluate(() => sessionStorage.getItem('fulcrum.token'))).toBe(app.seeded.personToken);
    expect(errors).toEqual([]);

    await page.setViewportSize({ width: 390, height: 844 });
    for (const p of PAGES) {
      await page.goto(`${app.url}${p.path}`);
      await settled(page, p.heading);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${p.path} scrolls sideways at phone width`).toBeLessThanOrEqual(0);
      await screenshot(page, `phone-${p.name}`);
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('the web console on an empty Fulcrum', () => {
  let app: ConsoleUnderTest;

  beforeAll(async () => {
    app = await startConsole('sqlite', { admin: ADMIN });
  }, 60_000);
  afterAll(() => app?.close());

  it('says plainly that there is nothing yet on every page, with no errors', async () => {
    const { context, page, errors } = await app.signedIn(ADMIN);
    const expected: Record<string, RegExp> = {
      '/': /No budget on the register/,
      '/portfolio': /No initiatives on the register/,
      '/budget': /No budget on the register/,
      '/initiatives': /No initiatives on the register/,
      '/registry': /No changes recorded.*No initiatives registered/,
      '/agents': /No agents registered/,
      '/approvals': /Nothing is waiting for a decision/,
      '/audit': /Nothing has been recorded yet/,
      '/incidents': /No incidents recorded/,
      '/reviews': /No review is open/,
    };
    for (const p of PAGES) {
      await page.goto(`${app.url}${p.path}`);
      await page.getByRole('heading', { level: 1, name: p.heading }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0, undefined, { timeout: 15_000 });
      expect(await page.locator('.error-note').count(), p.path).toBe(0);
      const empty = expected[p.path];
      if (empty) expect(await page.locator('main').textContent(), p.path).toMatch(empty);
      await screenshot(page, `empty-${p.name}`);
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows a spend of a few cents as it is in the compact stats, not as $0.0', async () => {
    const year = new Date().getUTCFullYear();
    const applied = await call(app.url, ADMIN, 'POST', '/v1/apply', {
      files: [
        {
          path: 'pennies.yaml',
          content: [
            'apiVersion: fulcrum/v1',
            'kind: Budget',
            'metadata: { name: pennies }',
            'spec:',
            `  period: { from: ${year}-01-01, to: ${year}-12-31 }`,
            '  currency: USD',
            '  allocations: [{ category: data-integration, amount: 1 }]',
          ].join('\n'),
        },
      ],
    });
    expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const imported = await call(app.url, ADMIN, 'POST', '/v1/budgets/pennies/spend', {
      lines: [{ date: today, category: 'data-integration', amount: 0.04 }],
    });
    expect(imported.status, JSON.stringify(imported.json)).toBe(201);
    const { context, page, errors } = await app.signedIn(ADMIN, { locale: 'en-US' });
    await page.goto(`${app.url}/budget`);
    const spent = page.locator('.stat').filter({ has: page.locator('.stat-label', { hasText: /^Spent$/ }) });
    // One fraction digit in the compact format wrote $0.04 as "$0.0".
    await expect.poll(() => spent.locator('.stat-value').textContent()).toBe('$0.04');
    for (const shown of await page.locator('.stat-value').allTextContents()) expect(shown).not.toMatch(/^\$0(\.0)?$/);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('says on the Budget page what model-call cost its actuals leave out: USD telemetry in a EUR budget, calls without a price', async () => {
    // Found by review: both were in the API's answer and the diagnostic, but the page showed neither, so a
    // EUR budget read as if no model was called, and calls of an unpriced model as free.
    const year = new Date().getUTCFullYear();
    const euros = [
      'apiVersion: fulcrum/v1',
      'kind: Budget',
      'metadata: { name: euros }',
      'spec:',
      `  period: { from: ${year}-01-01, to: ${year}-12-31 }`,
      '  currency: EUR',
      '  allocations: [{ category: model-licences, amount: 1000 }]',
    ].join('\n');
    const applied = await call(app.url, ADMIN, 'POST', '/v1/apply', {
      files: [...readMini(), { path: 'euros.yaml', content: euros }],
    });
    expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    const keyed = await call(app.url, ADMIN, 'POST', '/v1/agents/support-bot-eu/keys', {});
    expect(keyed.status, JSON.stringify(keyed.json)).toBe(201);
    const start = BigInt(Date.now() - 60_000) * 1_000_000n;
    const chat = (spanId: string, model: string) => ({
      traceId: '6bf92f3577b34da6a3ce929d0e0e4736',
      spanId,
      name: `chat ${model}`,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 1_000_000n),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.request.model', value: { stringValue: model } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: 10_000_000 } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: 0 } },
      ],
    });
    // 10 million input tokens of gpt-4o-mini at USD 0.15 a million: USD 1.50; and a model nobody registered.
    const traced = await call(app.url, (keyed.json as { key: string }).key, 'POST', '/otlp/v1/traces', {
      resourceSpans: [
        { scopeSpans: [{ spans: [chat('20f067aa0ba902b7', 'gpt-4o-mini'), chat('30f067aa0ba902b7', 'mystery-model')] }] },
      ],
    });
    expect(traced.status, JSON.stringify(traced.json)).toBe(200);
    const { context, page, errors } = await app.signedIn(ADMIN, { locale: 'en-US' });
    await page.goto(`${app.url}/budget`);
    await page.getByLabel('Budget', { exact: true }).selectOption('euros');
    const notes = page.locator('main .callout');
    await expect
      .poll(() => notes.allTextContents())
      .toEqual([
        expect.stringContaining(
          '$1.50 of model calls measured from telemetry this period is not in these actuals: this budget is in EUR',
        ),
        expect.stringContaining('1 model call this period had no price'),
      ]);
    await screenshot(page, 'budget-left-out');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
