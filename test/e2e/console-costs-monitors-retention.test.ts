// The console's Costs, Monitors and Retention pages in a real browser (Debian's Chromium via
// playwright-core) against a real Fulcrum on each engine, seeded with the Acme example and six months
// of evidence: what each page shows against what the API answers, unpriced calls said as such, the
// actions offered only to the roles the server lets act (and a refusal handled), a purge confirmed
// before it runs, and hostile names shown as they are.
/// <reference lib="dom" />
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIDDEN_CHARS } from '../../src/hidden-chars.js';
import { ENGINES } from '../support/databases.js';
import { call, cli } from '../support/process.js';
import { type SignedInTab, screenshot } from './support/browser.js';
import { type ConsoleUnderTest, type SeededConsole, startConsole } from './support/console.js';

const ADMIN = 'fat_e2e-governance-admin';
const RLO = '\u202E';
const PDF = '\u202C';
const ZWSP = '\u200B';
const PAGES = [
  { path: '/costs', heading: 'Costs' },
  { path: '/monitors', heading: 'Monitors' },
  { path: '/retention', heading: 'Retention' },
];

/** Texts and attributes of the page that hold a hidden character raw (hostile-content.test.ts does every page). */
function rawHidden(page: Page): Promise<string[]> {
  return page.evaluate((chars) => {
    const hidden = new RegExp(`[${chars}]`, 'u');
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) {
        if (hidden.test(n.nodeValue ?? '')) out.push(`text ${JSON.stringify(n.nodeValue)}`);
        continue;
      }
      for (const a of Array.from((n as Element).attributes))
        if (hidden.test(a.value)) out.push(`${a.name}= ${JSON.stringify(a.value)}`);
    }
    return out;
  }, HIDDEN_CHARS);
}

describe.each(ENGINES)('the console’s costs, monitors and retention (%s)', (engine) => {
  let app: SeededConsole;
  const person = async (name: string, roles: string[]) => {
    const got = (await call(app.url, ADMIN, 'GET', `/v1/people/${name}`)).json;
    const put = await call(app.url, ADMIN, 'PUT', `/v1/people/${name}`, { ...got, spec: { ...got.spec, roles } });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    return (await call(app.url, ADMIN, 'POST', `/v1/people/${name}/tokens`, {})).json.token as string;
  };

  beforeAll(async () => {
    app = await startConsole(engine, { admin: ADMIN, seed: true, env: { FULCRUM_RETENTION_INTERVAL_HOURS: '0' } });
  }, 120_000);
  afterAll(() => app?.close());

  async function signedIn(token: string): Promise<SignedInTab> {
    return app.signedIn(token, { locale: 'en-US' });
  }
  async function settled(page: Page, path: string, heading: string): Promise<void> {
    await page.goto(`${app.url}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await expect.poll(() => page.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
  }

  it('shows spend by agent and by model as the API answers it, unpriced calls said apart and never as $0', async () => {
    // Three model calls today: one priced (gpt-4o-mini), one of a model nobody registered whose name
    // reads, raw, like the priced one, and one of the priced model that reported no output tokens.
    const key = await app.seeded.agentKey('support-bot-eu');
    const start = BigInt(Date.now() - 60_000) * 1_000_000n;
    const chat = (spanId: string, model: string, usage: Array<[string, number]>) => ({
      traceId: '7bf92f3577b34da6a3ce929d0e0e4736',
      spanId,
      name: `chat ${model}`,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 1_000_000n),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.request.model', value: { stringValue: model } },
        ...usage.map(([k, v]) => ({ key: `gen_ai.usage.${k}`, value: { intValue: v } })),
      ],
    });
    const hostile = `gpt-4o${ZWSP}-mini${RLO}x${PDF}`;
    const both: Array<[string, number]> = [
      ['input_tokens', 1_000_000],
      ['output_tokens', 1000],
    ];
    const traced = await call(app.url, key, 'POST', '/otlp/v1/traces', {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                chat('a0f067aa0ba902b7', 'gpt-4o-mini', both),
                chat('b0f067aa0ba902b7', hostile, both),
                chat('c0f067aa0ba902b7', 'gpt-4o-mini', [['input_tokens', 500]]),
              ],
            },
          ],
        },
      ],
    });
    expect(traced.status, JSON.stringify(traced.json)).toBe(200);
    const byAgent = (await call(app.url, ADMIN, 'GET', '/v1/costs?groupBy=agent&limit=1000')).json;
    const eu = byAgent.rows.find((r: any) => r.key === 'support-bot-eu');
    expect(eu).toMatchObject({ calls: 3, unpricedCalls: 2, unpriced: { unknownModel: 1, noUsage: 1 } });

    const viewer = await person('ben.carter', ['viewer']);
    const { context, page, errors } = await signedIn(viewer);
    await settled(page, '/costs', 'Costs');
    const table = page.getByTestId('costs');
    expect(await table.locator('tbody tr').count()).toBe(byAgent.rows.length);
    for (const r of byAgent.rows.slice(0, 5)) {
      const row = table.locator(`tr[data-key="${r.key}"]`);
      const shown = (await row.locator('td').nth(1).textContent()) ?? '';
      // Whole dollars from 100 up, cents from 1 (web/src/lib/format.ts fmtMoney); below, as many digits as it takes.
      const cents = r.costUsd < 100 ? 2 : 0;
      const money =
        r.costUsd >= 1 || r.costUsd === 0
          ? `$${r.costUsd.toLocaleString('en-US', { minimumFractionDigits: cents, maximumFractionDigits: cents })}`
          : expect.stringMatching(/^\$0\.\d+$/);
      // Never a bare amount for a cost with unpriced calls in it: a lower bound, or unknown.
      if (r.unpricedCalls === 0) expect(shown, r.key).toEqual(money);
      else if (r.costUsd === 0) expect(shown, r.key).toBe('unknown');
      else expect(shown, r.key).toMatch(/^at least \$/);
    }
    const euRow = table.locator('tr[data-key="support-bot-eu"]');
    expect(await euRow.locator('.unpriced-reasons').textContent()).toBe(
      ' 1 model not in the registry, 1 token counts not reported',
    );
    const note = page.getByRole('note').filter({ hasText: 'had no price' });
    const calls = byAgent.rows.reduce((s: number, r: any) => s + r.calls, 0);
    expect(await note.textContent()).toContain(`2 of ${calls} model calls in this period had no price`);
    expect(await page.getByTestId('cost-totals').locator('.stat').first().locator('.stat-value').textContent()).toMatch(
      /^at least \$/,
    );

    // By model: the unregistered name is shown with its hidden characters marked, its cost unknown.
    await page.getByLabel('Group by').selectOption('model');
    const unknown = page.getByTestId('costs').locator('tr').filter({ hasText: 'gpt-4o\\u200B-mini\\u202Ex\\u202C' });
    await unknown.waitFor();
    expect(await unknown.locator('mark.hidden-char').count()).toBe(3);
    expect(await unknown.locator('td').nth(1).textContent()).toBe('unknown');
    expect(await rawHidden(page)).toEqual([]);
    await screenshot(page, `costs-by-model-${engine}`);

    // A period with nothing in it says so; one whose first day is after its last is refused before it is asked.
    await page.getByLabel('From').fill('2020-01-01');
    await page.getByLabel('To').fill('2020-01-31');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('No spend recorded in this period').waitFor();
    await page.getByLabel('From').fill('2020-02-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The first day (2020-02-01) is after the last (2020-01-31).');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows monitors to a viewer without Evaluate; platform evaluates after a confirmation; a refusal takes the button away', async () => {
    const viewer = await person('ben.carter', ['viewer']);
    const monitors = (await call(app.url, ADMIN, 'GET', '/v1/monitors')).json.items;
    const v = await signedIn(viewer);
    // The page's clock is Playwright's, so the 30 s re-read is reached by moving it on, not by waiting.
    await v.page.clock.install();
    await settled(v.page, '/monitors', 'Monitors');
    const rows = v.page.getByTestId('monitors').locator('tbody tr');
    expect(await rows.count()).toBe(monitors.length);
    // Nothing evaluated on this node yet (the timer is off): said, not shown as OK.
    expect(await rows.locator('td:nth-child(5) .pill').allTextContents()).toEqual(monitors.map(() => 'Not evaluated yet'));
    expect(await v.page.getByRole('button', { name: 'Evaluate now' }).count()).toBe(0);
    // An evaluation made elsewhere (the node's timer, the CLI) shows up without a reload: the status is
    // read again every 30 s, and not before.
    expect((await call(app.url, ADMIN, 'POST', '/v1/monitors/evaluate')).status).toBe(200);
    const unevaluated = () => rows.locator('td:nth-child(5) .pill').filter({ hasText: 'Not evaluated yet' }).count();
    await v.page.clock.fastForward(29_000);
    expect(await unevaluated()).toBe(monitors.length);
    await v.page.clock.fastForward(1_500);
    await expect.poll(unevaluated).toBe(0);
    expect(v.errors).toEqual([]);
    await v.context.close();

    // An identity acting without a registration: the shadow-ai monitor (threshold 0) is breached.
    const key = await app.seeded.agentKey('support-bot-us');
    const ghost = { type: 'task.completed', taskId: 'ghost-1', agent: 'ghost-bot', outcome: 'resolved', durationMs: 1000 };
    const sent = await call(app.url, key, 'POST', '/v1/events', { events: [{ ...ghost, endedAt: new Date().toISOString() }] });
    expect(sent.json.accepted).toBe(1);
    const platform = await person('tom.becker', ['platform']);
    const p = await signedIn(platform);
    await settled(p.page, '/monitors', 'Monitors');
    await p.page.getByRole('button', { name: 'Evaluate now' }).click();
    const dialog = p.page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('A breach of support-eu-deny-spike also suspends the agents in its scope');
    await dialog.getByRole('button', { name: 'Evaluate now' }).click();
    await p.page
      .getByRole('status')
      .filter({ hasText: /^Evaluated \d+ monitor/ })
      .waitFor();
    const status = (await call(app.url, ADMIN, 'GET', '/v1/monitors/status')).json.items;
    expect(status.length).toBe(monitors.length);
    const shadow = p.page.locator('tr[data-monitor="shadow-ai"]');
    await expect.poll(() => shadow.locator('.pill').textContent()).toBe('Breached');
    const opened = status.find((s: any) => s.monitor === 'shadow-ai');
    expect(opened).toMatchObject({ breached: true, incident: expect.any(String) });
    expect(await shadow.textContent()).toContain(opened.incident);
    for (const s of status) {
      const spec = monitors.find((m: any) => m.metadata.name === s.monitor).spec;
      const rate = ['deny_rate', 'approval_rate', 'error_rate', 'escalation_rate'].includes(s.metric);
      const label = s.error
        ? 'Not evaluated'
        : s.breached
          ? 'Breached'
          : rate && s.samples < spec.minSamples
            ? 'Too few samples'
            : 'OK';
      const row = p.page.locator(`tr[data-monitor="${s.monitor}"]`);
      expect(await row.locator('.pill').textContent(), s.monitor).toBe(label);
      // A rate over no decisions or tasks is not shown as 0 %.
      if (rate && s.samples === 0) expect(await row.locator('td').nth(2).textContent(), s.monitor).toBe('no data');
    }
    await screenshot(p.page, `monitors-${engine}`);

    // The platform role is taken away while the page is open: the refusal is said, and the button goes.
    await person('tom.becker', ['viewer']);
    await p.page.getByRole('button', { name: 'Evaluate now' }).click();
    await dialog.getByRole('button', { name: 'Evaluate now' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('may not registry write');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => p.page.getByRole('button', { name: 'Evaluate now' }).count()).toBe(0);
    expect(p.errors.filter((e) => !/403/.test(e))).toEqual([]);
    await p.context.close();
  }, 100_000);

  it('shows the periods to a viewer without Purge; platform purges only after confirming, and sees what went', async () => {
    // Task events kept 60 days: the seed's older months are due, but for agents held (high-risk, incident).
    expect((await call(app.url, ADMIN, 'PUT', '/v1/retention', { events: 60 })).status).toBe(200);
    const policy = (await call(app.url, ADMIN, 'GET', '/v1/retention')).json;
    const viewer = await person('ben.carter', ['viewer']);
    const v = await signedIn(viewer);
    await settled(v.page, '/retention', 'Retention');
    for (const [type, days] of Object.entries(policy.periods))
      expect(await v.page.locator(`tr[data-type="${type}"] td`).nth(1).textContent(), type).toBe(
        (days as number).toLocaleString('en-US'),
      );
    expect(await v.page.getByRole('button', { name: 'Purge now…' }).count()).toBe(0);
    expect(await v.page.getByText('No purge has removed anything yet').count()).toBe(1);
    // The last backup: on SQLite the one just taken; on PostgreSQL, that pg_dump's are not seen.
    const card = v.page.getByRole('region', { name: 'Last backup' });
    if (engine === 'sqlite') {
      await expect.poll(() => card.textContent()).toContain('No backup recorded');
      const dir = String(app.env.FULCRUM_DATA_DIR);
      const file = path.join(dir, 'nightly.db');
      const taken = await cli({ PATH: process.env.PATH, FULCRUM_DATA_DIR: dir }, 'backup', '--to', file);
      expect(taken.code, taken.stderr).toBe(0);
      await settled(v.page, '/retention', 'Retention');
      await expect
        .poll(() => v.page.getByTestId('last-backup').textContent())
        .toMatch(
          new RegExp(
            `^.* \\((now|\\d+ seconds? ago)\\): ${file}, [\\d,]+ bytes\\. integrity ok; audit log intact: [\\d,]+ entries in \\d+ chain`,
          ),
        );
    } else await expect.poll(() => card.textContent()).toMatch(/Backed up outside Fulcrum.*pg_dump/);
    expect(v.errors).toEqual([]);
    await v.context.close();

    const purges = async () =>
      (await call(app.url, ADMIN, 'GET', '/v1/audit?kind=retention.purged&limit=10')).json.items as Array<{ detail: any }>;
    const platform = await person('tom.becker', ['platform']);
    const p = await signedIn(platform);
    await settled(p.page, '/retention', 'Retention');
    await p.page.getByRole('button', { name: 'Purge now…' }).click();
    const dialog = p.page.getByRole('dialog');
    const cutoff = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
    const shown = new Date(`${cutoff}T00:00:00`).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
    expect(await dialog.getByTestId('purge-preview').textContent()).toContain(`Task events from before ${shown}`);
    expect(await dialog.textContent()).toContain('This cannot be undone');
    // Cancelled: nothing is purged.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await purges()).toEqual([]);

    await p.page.getByRole('button', { name: 'Purge now…' }).click();
    await dialog.getByRole('button', { name: 'Purge' }).click();
    const result = p.page.getByTestId('purge-result');
    await result.waitFor();
    const [entry] = await purges();
    expect(entry?.detail.deleted.events).toBeGreaterThan(0);
    expect(await result.textContent()).toContain(`${entry?.detail.deleted.events.toLocaleString('en-US')} task events`);
    // The seed's incident links support-deflection: its agents' events are held, and named.
    expect(await p.page.locator('.purge-result').textContent()).toMatch(
      /Held for an open incident \(\d+ agents\): .*support-bot-eu/,
    );
    await expect.poll(() => p.page.getByTestId('last-purge').textContent()).toContain('by tom.becker');
    await screenshot(p.page, `retention-purged-${engine}`);
    expect(p.errors).toEqual([]);

    // The platform role is taken away while the page is open: the refusal is said, nothing is purged, the button goes.
    await person('tom.becker', ['viewer']);
    await p.page.getByRole('button', { name: 'Purge now…' }).click();
    await dialog.getByRole('button', { name: 'Purge' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('may not registry write');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => p.page.getByRole('button', { name: 'Purge now…' }).count()).toBe(0);
    expect((await purges()).length).toBe(1);
    expect(p.errors.filter((e) => !/403/.test(e))).toEqual([]);
    await p.context.close();
  }, 60_000);

  it('shows a monitor description with hidden characters marked, and none raw on any of the three pages', async () => {
    const applied = await call(app.url, ADMIN, 'PUT', '/v1/monitors/trojan-monitor', {
      apiVersion: 'fulcrum/v1',
      kind: 'Monitor',
      metadata: { name: 'trojan-monitor' },
      spec: {
        description: `Deny rate ${RLO}hgih ton${PDF}${ZWSP}`,
        metric: 'deny_rate',
        window: '1h',
        threshold: 0.5,
        severity: 'sev4',
      },
    });
    expect(applied.status, JSON.stringify(applied.json)).toBeLessThan(300);
    const { context, page, errors } = await signedIn(ADMIN);
    await settled(page, '/monitors', 'Monitors');
    const row = page.locator('tr[data-monitor="trojan-monitor"]');
    expect(await row.textContent()).toContain('Deny rate \\u202Ehgih ton\\u202C\\u200B');
    expect(await row.locator('mark.hidden-char').count()).toBe(3);
    for (const p of PAGES) {
      await settled(page, p.path, p.heading);
      expect(await rawHidden(page), p.path).toEqual([]);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('loads each page without console errors, at 1280 px and at phone width', async () => {
    const { context, page, errors } = await signedIn(app.seeded.personToken);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const p of PAGES) {
        await settled(page, p.path, p.heading);
        expect(await page.locator('.error-note').count(), `${p.path} shows an error`).toBe(0);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${p.path} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
        await screenshot(page, `${width < 600 ? 'phone-' : ''}${p.path.slice(1)}-${engine}`);
      }
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

describe('the console’s costs, monitors and retention on an empty Fulcrum', () => {
  let app: ConsoleUnderTest;

  beforeAll(async () => {
    app = await startConsole('sqlite', { admin: ADMIN, env: { FULCRUM_RETENTION_INTERVAL_HOURS: '0' } });
  }, 60_000);
  afterAll(() => app?.close());

  it('says there is nothing yet, and shows no spend as $0', async () => {
    const { context, page, errors } = await app.signedIn(ADMIN);
    const expected: Record<string, RegExp> = {
      '/costs': /No spend recorded in this period/,
      '/monitors': /No monitor on the register/,
      '/retention': /No purge has removed anything yet/,
    };
    for (const p of PAGES) {
      await page.goto(`${app.url}${p.path}`);
      await page.getByRole('heading', { level: 1, name: p.heading }).waitFor();
      await expect.poll(() => page.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
      expect(await page.locator('.error-note').count(), p.path).toBe(0);
      expect(await page.locator('main').textContent(), p.path).toMatch(expected[p.path] as RegExp);
    }
    await page.goto(`${app.url}/costs`);
    const spend = page.getByTestId('cost-totals').locator('.stat').first().locator('.stat-value');
    await expect.poll(() => spend.textContent()).toBe('none recorded');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
