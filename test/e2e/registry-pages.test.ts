// The Registry and Initiatives pages in a real browser (Debian's Chromium via playwright-core) against
// a real Fulcrum on the Acme example with evidence, on every engine: each kind's objects with their
// descriptors, who changed what, one initiative whole (outcomes, measurements, ROI, risk) with what
// cannot be measured said so, a refusal shown as one, and a registry writer's HTML shown as text.
/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUESTIONS } from '../../src/governance/risk.js';
import { ENGINES } from '../support/databases.js';
import { call } from '../support/process.js';
import { type SignedInTab, screenshot } from './support/browser.js';
import { type SeededConsole, startConsole } from './support/console.js';

const ADMIN = 'fat_e2e-registry-admin';
const NO = Object.fromEntries(Object.keys(QUESTIONS).map((q) => [q, false]));

describe.each(ENGINES)('the Registry and Initiatives pages in Chromium (%s)', (engine) => {
  let app: SeededConsole;

  beforeAll(async () => {
    app = await startConsole(engine, { admin: ADMIN, seed: true });
  }, 120_000);
  afterAll(() => app?.close());

  async function signedIn(token = app.seeded.personToken): Promise<SignedInTab> {
    return app.signedIn(token);
  }

  async function settled(page: Page, heading: string): Promise<void> {
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await expect.poll(() => page.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
  }

  /** A person holding `roles`, and a token of theirs. */
  async function person(name: string, roles: string[]): Promise<string> {
    const put = await call(app.url, ADMIN, 'PUT', `/v1/people/${name}`, {
      spec: { displayName: name, roles, businessUnit: 'technology' },
    });
    expect(put.status, JSON.stringify(put.json)).toBeLessThan(300);
    return (await call(app.url, ADMIN, 'POST', `/v1/people/${name}/tokens`, {})).json.token;
  }

  it('lists every kind on the register, opens a descriptor, and shows who changed what', async () => {
    // raj.patel (platform) changes a tool: the newest change names him, the tool, and what he did.
    const tool = (await call(app.url, ADMIN, 'GET', '/v1/tools/crm.refund')).json;
    tool.spec.system = 'crm-v2';
    const put = await call(app.url, app.seeded.platformToken, 'PUT', '/v1/tools/crm.refund', tool);
    expect(put.status, JSON.stringify(put.json)).toBe(200);

    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/registry`);
    await settled(page, 'Registry');
    for (const [plural, name] of [
      ['initiatives', 'support-deflection'],
      ['agents', 'support-bot-eu'],
      ['tools', 'crm.refund'],
      ['models', 'gpt-4o-mini'],
      ['data-domains', 'customer-profiles'],
      ['people', 'maria.okafor'],
    ]) {
      await page.getByTestId(`registry-${plural}`).locator(`tr[data-name="${name}"]`).waitFor();
    }
    const newest = page.getByTestId('registry-changes').locator('tbody tr').first();
    expect(await newest.textContent()).toMatch(/raj\.patel.*Updated.*Tool\s*crm\.refund/);
    expect(await page.getByTestId('registry-changes').locator('tbody tr').count()).toBe(10);
    await page.getByRole('button', { name: 'Show the latest 200' }).click();
    await expect.poll(() => page.getByTestId('registry-changes').locator('tbody tr').count()).toBeGreaterThan(10);
    await screenshot(page, 'registry');

    // The change links to the object: its descriptor opens in place, with the new value.
    await newest.getByRole('link', { name: 'crm.refund' }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#tools/crm.refund');
    const spec = page.getByTestId('registry-tools').getByTestId('descriptor-spec');
    expect(await spec.textContent()).toContain('"system": "crm-v2"');
    // An initiative's row leads to the initiative whole.
    await page.goto(`${app.url}/registry#initiatives/support-deflection`);
    await page.getByRole('link', { name: 'Outcomes, ROI and risk of this initiative' }).click();
    await page.getByTestId('initiative-view').waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).hash).toBe('/initiatives#support-deflection');
    // A name no longer on the register says so.
    await page.goto(`${app.url}/registry#tools/no-such-tool`);
    await settled(page, 'Registry');
    expect(await page.locator('#tools').textContent()).toContain('No Tool named “no-such-tool” is on the register');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows an initiative whole: outcomes measured from telemetry, their monthly values, ROI and the risk in force', async () => {
    const assessed = await call(app.url, ADMIN, 'POST', '/v1/initiatives/support-deflection/risk-assessment', {
      answers: { ...NO, interactsWithPublic: true, generatesContent: true, prohibitedPractices: [] },
      notes: 'reviewed with legal',
    });
    expect(assessed.status, JSON.stringify(assessed.json)).toBe(201);
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/initiatives`);
    await settled(page, 'Initiatives');
    await page.getByTestId('initiatives').getByRole('link', { name: 'support-deflection' }).click();
    const view = page.getByTestId('initiative-view');
    await view.waitFor();
    await expect.poll(() => view.locator('.loading').count(), { timeout: 15_000 }).toBe(0);

    const resolved = view.getByTestId('outcomes').locator('tr[data-metric="contacts resolved without a human"]');
    expect(await resolved.textContent()).toMatch(/\d+(\.\d)?\s?%\s*measured/);
    // Six months of telemetry: a value per calendar month.
    const months = view.getByTestId('measurements').locator('tr[data-metric="contacts resolved without a human"] li');
    expect(await months.count()).toBeGreaterThanOrEqual(6);
    const outcomes = (await call(app.url, ADMIN, 'GET', '/v1/initiatives/support-deflection/outcomes')).json;
    const series = outcomes.metrics.find((m: { name: string }) => m.name === 'contacts resolved without a human').series;
    expect(await months.count()).toBe(series.length);
    expect(await view.getByTestId('roi').textContent()).toMatch(/Cost/);
    const risk = await view.getByTestId('risk').textContent();
    expect(risk).toContain(`version ${assessed.json.version}`);
    expect(risk).toContain(QUESTIONS.interactsWithPublic);
    expect(risk).toContain('reviewed with legal');
    await screenshot(page, 'initiative-support-deflection');
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'the initiative view scrolls sideways at phone width').toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-initiative-support-deflection');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says what it cannot measure: no telemetry, no measurement, no assessment, no ROI — never a zero', async () => {
    // workplace-sentiment-monitor: proposed, no agent, one manual metric nobody has reported.
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/initiatives#workplace-sentiment-monitor`);
    await settled(page, 'Initiatives');
    const view = page.getByTestId('initiative-view');
    await expect.poll(() => view.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
    const row = view.getByTestId('outcomes').locator('tr[data-metric="agent attrition"]');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Not measured');
    expect(text).toContain('no data');
    expect(text).toContain('unknown: nothing measured to compare');
    expect(text).not.toMatch(/\b0\s?%/);
    expect(await row.getByRole('progressbar').count()).toBe(0);
    expect(await view.getByTestId('measurements').textContent()).toContain('No measurement reported yet.');
    const roi = await view.getByTestId('roi').textContent();
    expect(roi).toContain('ROI cannot be computed.');
    expect(roi).toContain('Cost: none recorded');
    expect(await view.getByTestId('risk').textContent()).toContain('Not assessed.');
    await screenshot(page, 'initiative-unmeasured');

    // A measurement reported: it shows, self-reported, with its period.
    const recorded = await call(app.url, ADMIN, 'POST', '/v1/initiatives/workplace-sentiment-monitor/measurements', {
      metric: 'agent attrition',
      value: 0.12,
      period: '2026-Q3',
    });
    expect(recorded.status, JSON.stringify(recorded.json)).toBe(201);
    await page.reload();
    await settled(page, 'Initiatives');
    await expect.poll(() => view.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
    expect(await row.textContent()).toContain('self-reported');
    expect(await view.getByTestId('measurements').textContent()).toMatch(/2026-Q3:\s*0\.12.*reported by admin/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows each section refused to a person whose roles cannot read the registry, and all of it to a viewer', async () => {
    const none = await person('nora.noroles', []);
    const { context, page, errors } = await signedIn(none);
    await page.goto(`${app.url}/registry`);
    await settled(page, 'Registry');
    // Every card says it is refused, and none shows a table (an empty one would read "nothing registered").
    expect(await page.locator('section.card').count()).toBeGreaterThan(10);
    for (const card of await page.locator('section.card').all())
      expect(await card.getByRole('alert').textContent()).toContain('Not allowed');
    expect(await page.locator('main table').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/No .* registered/);

    await page.goto(`${app.url}/initiatives#support-deflection`);
    await settled(page, 'Initiatives');
    const refused = page.locator('main [role="alert"]');
    await expect.poll(() => refused.count()).toBeGreaterThanOrEqual(5);
    for (const alert of await refused.all()) expect(await alert.textContent()).toContain('Not allowed');
    expect(await page.locator('main table').count()).toBe(0);
    expect(errors.filter((e) => !/403/.test(e))).toEqual([]);
    await context.close();

    const viewer = await signedIn(await person('vic.viewer', ['viewer']));
    await viewer.page.goto(`${app.url}/initiatives#support-deflection`);
    await settled(viewer.page, 'Initiatives');
    await expect.poll(() => viewer.page.getByTestId('initiative-view').locator('.loading').count()).toBe(0);
    expect(await viewer.page.locator('main [role="alert"]').count()).toBe(0);
    await viewer.page.getByTestId('outcomes').waitFor();
    expect(viewer.errors).toEqual([]);
    await viewer.context.close();
  });

  it("shows a registry writer's HTML and script as text, running none of it", async () => {
    const markup = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const initiative = (await call(app.url, ADMIN, 'GET', '/v1/initiatives/invoice-matching')).json;
    initiative.spec.title = `Invoices ${markup}`;
    initiative.spec.description = `<b>bold?</b> ${markup}`;
    initiative.spec.outcomes[0].name = `<i>${markup}</i>`;
    expect((await call(app.url, ADMIN, 'PUT', '/v1/initiatives/invoice-matching', initiative)).status).toBe(200);
    const policy = (await call(app.url, ADMIN, 'GET', '/v1/policies')).json.items[0];
    policy.spec.description = `<a href="javascript:window.__pwned=3">click</a> ${markup}`;
    expect((await call(app.url, ADMIN, 'PUT', `/v1/policies/${policy.metadata.name}`, policy)).status).toBe(200);

    const { context, page, errors } = await signedIn();
    const injected = () =>
      page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
        elements: document.querySelectorAll('main img, main script, main b, main i, main a[href^="javascript"]').length,
      }));
    await page.goto(`${app.url}/registry#initiatives/invoice-matching`);
    await settled(page, 'Registry');
    expect(await page.getByTestId('registry-initiatives').locator('tr[data-name="invoice-matching"]').textContent()).toContain(
      `Invoices ${markup}`,
    );
    expect(await page.getByTestId('registry-policies').textContent()).toContain(
      '<a href="javascript:window.__pwned=3">click</a>',
    );
    expect(await injected()).toEqual({ pwned: null, elements: 0 });

    await page.goto(`${app.url}/initiatives#invoice-matching`);
    await settled(page, 'Initiatives');
    const view = page.getByTestId('initiative-view');
    await expect.poll(() => view.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
    expect(await view.locator('h2').first().textContent()).toBe(`Invoices ${markup}`);
    expect(await view.textContent()).toContain(`<b>bold?</b> ${markup}`);
    expect(await view.getByTestId('outcomes').textContent()).toContain(`<i>${markup}</i>`);
    expect(await page.getByTestId('initiatives').textContent()).toContain(`Invoices ${markup}`);
    expect(await injected()).toEqual({ pwned: null, elements: 0 });
    await screenshot(page, 'initiative-hostile');
    expect(errors).toEqual([]);
    await context.close();
  });
});
