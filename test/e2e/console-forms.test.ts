// The console's forms for what it could only show before, in a real browser (Debian's Chromium via
// playwright-core) against a real Fulcrum on each engine, seeded with the Acme example: the Retention
// page's periods and the purge's preview. A role that may read sees no form; the server judges every
// value (its refusal is shown in its words, nothing is changed); hostile values go nowhere else; the
// preview in the confirmation is the server's dry run, and the purge then removes what it said.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { call } from '../support/process.js';
import type { SignedInTab } from './support/browser.js';
import { type ConsoleUnderTest, startConsole } from './support/console.js';

const ADMIN = 'fat_e2e-forms-admin';

describe.each(ENGINES)('the console’s forms (%s)', (engine) => {
  let app: ConsoleUnderTest | undefined;
  let url: string;
  const person = async (name: string, roles: string[]) => {
    const got = (await call(url, ADMIN, 'GET', `/v1/people/${name}`)).json;
    const put = await call(url, ADMIN, 'PUT', `/v1/people/${name}`, { ...got, spec: { ...got.spec, roles } });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    return (await call(url, ADMIN, 'POST', `/v1/people/${name}/tokens`, {})).json.token as string;
  };
  const periods = async () => (await call(url, ADMIN, 'GET', '/v1/retention')).json.periods as Record<string, number>;
  const purges = async () => (await call(url, ADMIN, 'GET', '/v1/audit?kind=retention.purged&limit=10')).json.items as unknown[];

  beforeAll(async () => {
    app = await startConsole(engine, { admin: ADMIN, seed: true, env: { FULCRUM_RETENTION_INTERVAL_HOURS: '0' } });
    url = app.url;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  async function signedIn(token: string): Promise<SignedInTab> {
    return (app as ConsoleUnderTest).signedIn(token, { locale: 'en-US' });
  }
  async function settled(page: Page, path: string, heading: string): Promise<void> {
    await page.goto(`${url}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await expect.poll(() => page.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
  }

  it('offers no retention form to a role that may read, and judges every value a platform person sends by the server', async () => {
    const viewer = await person('ben.carter', ['viewer']);
    const v = await signedIn(viewer);
    await settled(v.page, '/retention', 'Retention');
    await v.page.getByTestId('retention').waitFor();
    expect(await v.page.getByTestId('retention-form').count()).toBe(0);
    expect(await v.page.getByRole('button', { name: 'Save periods' }).count()).toBe(0);
    expect(v.errors).toEqual([]);
    await v.context.close();

    const before = await periods();
    const p = await signedIn(await person('tom.becker', ['platform']));
    const dialogs: string[] = [];
    p.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await settled(p.page, '/retention', 'Retention');
    const form = p.page.getByTestId('retention-form');
    const field = (label: RegExp) => form.getByLabel(label);
    const save = form.getByRole('button', { name: 'Save periods' });
    expect(await field(/^Trace spans/).inputValue()).toBe(String(before.spans));
    expect(await save.isDisabled()).toBe(true);

    // Below the floor for human acts: hinted, sent anyway, refused by the server in its words.
    await field(/^Human acts/).fill('100');
    expect(await form.textContent()).toContain('at least 183 days');
    await save.click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('"auditEntries" must be at least 183 days');
    expect(await periods()).toEqual(before);

    // Hostile values: markup, a bidi override, a number past any period, a negative one. Each is refused by
    // the server, said on the page, runs nothing and changes nothing. (A string such as "1e3" the
    // server coerces to 1000, as Fastify does a JSON body's strings: a value, not hostile.)
    await field(/^Human acts/).fill(String(before.auditEntries));
    for (const [value, said] of [
      ['<img src=x onerror=alert(1)>', /spans/],
      ['9\u202E0', /spans/],
      ['99999999999999', /spans/],
      ['-5', /spans/],
    ] as const) {
      await field(/^Trace spans/).fill(value);
      await save.click();
      await expect.poll(() => form.getByRole('alert').textContent()).toMatch(said);
      expect(await periods()).toEqual(before);
    }
    expect(await p.page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);

    // A value the server takes: saved, and the table says so.
    await field(/^Trace spans/).fill(String(before.spans));
    await field(/^Task events/).fill('60');
    await save.click();
    await form.getByRole('status').waitFor();
    expect(await periods()).toEqual({ ...before, events: 60 });
    await expect.poll(() => p.page.locator('tr[data-type="events"] td').nth(1).textContent()).toBe('60');
    expect(await save.isDisabled()).toBe(true);
    expect(p.errors.filter((e) => !/400/.test(e))).toEqual([]);
    await p.context.close();
  }, 120_000);

  it('shows the server’s preview in the purge’s confirmation, and the purge removes what it said', async () => {
    expect((await call(url, ADMIN, 'PUT', '/v1/retention', { events: 60 })).status).toBe(200);
    const p = await signedIn(await person('tom.becker', ['platform']));
    await settled(p.page, '/retention', 'Retention');
    const expected = (await call(url, ADMIN, 'POST', '/v1/retention/purge?dryRun=true')).json;
    expect(expected.dryRun).toBe(true);
    expect(expected.events).toBeGreaterThan(0);
    await p.page.getByRole('button', { name: 'Purge now…' }).click();
    const dialog = p.page.getByRole('dialog');
    const events = dialog.getByTestId('preview-events');
    await expect.poll(() => events.textContent()).toBe(expected.events.toLocaleString('en-US'));
    expect(await dialog.getByTestId('preview-held').textContent()).toContain(`(${expected.held.incidentCount} agents)`);
    // Cancelled after the preview: nothing was purged, by the preview either.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await purges()).toEqual([]);
    expect((await call(url, ADMIN, 'POST', '/v1/retention/purge?dryRun=true')).json.events).toBe(expected.events);

    await p.page.getByRole('button', { name: 'Purge now…' }).click();
    await expect.poll(() => events.textContent()).toBe(expected.events.toLocaleString('en-US'));
    await dialog.getByRole('button', { name: 'Purge' }).click();
    await p.page.getByTestId('purge-result').waitFor();
    const [entry] = (await purges()) as Array<{ detail: { deleted: { events: number } } }>;
    expect(entry?.detail.deleted.events).toBe(expected.events);

    // The role is taken away with the page open: the preview says it was refused, as a note; the purge's
    // own refusal is the dialog's alert.
    await person('tom.becker', ['viewer']);
    await p.page.getByRole('button', { name: 'Purge now…' }).click();
    await expect.poll(() => dialog.getByTestId('preview-error').textContent()).toContain('may not registry write');
    await dialog.getByRole('button', { name: 'Purge' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('may not registry write');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await purges()).toHaveLength(1);
    expect(p.errors.filter((e) => !/403/.test(e))).toEqual([]);
    await p.context.close();
  }, 120_000);

  it('offers the measurement form to the initiative’s owner only, and shows what the server refuses in its words', async () => {
    const NAME = 'workplace-sentiment-monitor'; // owned by jessica.moreno; "agent attrition" is self-reported
    const measured = async () =>
      (await call(url, ADMIN, 'GET', `/v1/initiatives/${NAME}/measurements`)).json.items as Array<{
        period: string;
        value: number;
      }>;
    const viewer = await signedIn(await person('ben.carter', ['viewer']));
    await settled(viewer.page, `/initiatives#${NAME}`, 'Initiatives');
    await viewer.page.getByTestId('measurements').waitFor();
    expect(await viewer.page.getByTestId('measurement-form').count()).toBe(0);
    await viewer.context.close();

    const before = await measured();
    const o = await signedIn(await person('jessica.moreno', ['viewer']));
    const dialogs: string[] = [];
    o.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await settled(o.page, `/initiatives#${NAME}`, 'Initiatives');
    const form = o.page.getByTestId('measurement-form');
    await form.waitFor();
    const record = form.getByRole('button', { name: 'Record measurement' });
    // Not a number, a period past the server's 50 characters, a value past 10^12: each refused in the server's words.
    for (const [value, period, said] of [
      ['many', '2026-11', /value/],
      ['3', `<img src=x onerror=alert(1)>${'\u202E'.repeat(40)}`, /period/],
      ['1e13', '2026-11', /value/],
    ] as const) {
      await form.getByLabel('Value').fill(value);
      await form.getByLabel('Period').fill(period);
      await record.click();
      await expect.poll(() => form.getByRole('alert').textContent()).toMatch(said);
    }
    expect(await measured()).toEqual(before);
    expect(await o.page.locator('img[src="x"]').count()).toBe(0);

    await form.getByLabel('Value').fill('4.5');
    await form.getByLabel('Period').fill('2026-11');
    await record.click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('Recorded 4.5 for 2026-11');
    expect((await measured())[0]).toMatchObject({ period: '2026-11', value: 4.5 });
    await expect
      .poll(() => o.page.getByTestId('measurements').locator('[data-metric="agent attrition"]').textContent())
      .toMatch(/2026-11:.*4\.5.*reported by jessica\.moreno/);
    expect(dialogs).toEqual([]);
    expect(o.errors.filter((e) => !/400/.test(e))).toEqual([]);
    await o.context.close();
  }, 120_000);

  it('offers the risk form to who may assess and does not own the initiative, and records what the server judges', async () => {
    const NAME = 'workplace-sentiment-monitor'; // owned by jessica.moreno
    const assessments = async () =>
      (await call(url, ADMIN, 'GET', `/v1/initiatives/${NAME}/risk-assessments`)).json.items as Array<{
        version: number;
        tier: string;
        assessedBy: string;
        notes: string | null;
      }>;
    const { questions, prohibitedPractices } = (await call(url, ADMIN, 'GET', '/v1/risk-questionnaire')).json as {
      questions: Record<string, string>;
      prohibitedPractices: Record<string, string>;
    };
    const assess = (page: Page) => page.getByRole('button', { name: 'Assess risk…' });
    // A viewer, and the owner even holding reviewer:risk (separation of duties): no form.
    for (const [who, roles] of [
      ['ben.carter', ['viewer']],
      ['jessica.moreno', ['reviewer:risk']],
    ] as const) {
      const tab = await signedIn(await person(who, [...roles]));
      await settled(tab.page, `/initiatives#${NAME}`, 'Initiatives');
      await tab.page.getByTestId('risk').waitFor();
      expect(await assess(tab.page).count(), who).toBe(0);
      await tab.context.close();
    }
    // What the console hides, the server refuses: the owner's own assessment.
    const owner = (await call(url, ADMIN, 'POST', `/v1/people/jessica.moreno/tokens`, {})).json.token as string;
    const none = Object.fromEntries(Object.keys(questions).map((q) => [q, false]));
    const own = await call(url, owner, 'POST', `/v1/initiatives/${NAME}/risk-assessment`, { answers: none });
    expect(own.status).toBe(403);
    expect(JSON.stringify(own.json)).toContain('separation of duties');

    const before = await assessments();
    const r = await signedIn(await person('li.wei', ['reviewer:risk']));
    const dialogs: string[] = [];
    r.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await settled(r.page, `/initiatives#${NAME}`, 'Initiatives');
    await assess(r.page).click();
    const form = r.page.getByTestId('risk-form');
    const answer = (q: string, v: 'Yes' | 'No') =>
      form.getByRole('group', { name: questions[q] }).getByRole('radio', { name: v }).check();
    const record = form.getByRole('button', { name: 'Record assessment' });
    // Two questions answered of twelve: the server names the questionnaire incomplete, nothing is stored.
    await answer('employment', 'Yes');
    await answer('generatesContent', 'No');
    expect(await form.getByText(`${Object.keys(questions).length - 2} question(s) not answered yet`).count()).toBe(1);
    await record.click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/incomplete: 10 unanswered/);
    expect(await assessments()).toEqual(before);

    for (const q of Object.keys(questions)) if (q !== 'employment') await answer(q, 'No');
    await form
      .getByRole('group', { name: /Prohibited practices/ })
      .getByRole('checkbox', { name: prohibitedPractices['emotion-recognition-work-education'] })
      .check();
    const notes = `<img src=x onerror=alert(1)>\u202Emood scores of staff`;
    await form.getByLabel('Notes').fill(notes);
    await record.click();
    await expect
      .poll(() => r.page.locator('#risk').getByRole('status').textContent())
      .toMatch(/^Assessed: prohibited \(version \d+\)/);
    const [latest] = await assessments();
    expect(latest).toMatchObject({
      version: (before[0]?.version ?? 0) + 1,
      tier: 'prohibited',
      assessedBy: 'person:li.wei',
      notes,
    });
    // The card shows the new tier in force and the notes as text.
    await expect.poll(() => r.page.getByTestId('risk').locator('p').first().textContent()).toMatch(/prohibited.*version/i);
    expect(await r.page.getByTestId('risk').textContent()).toContain('onerror=alert(1)');
    expect(await r.page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(r.errors.filter((e) => !/400/.test(e))).toEqual([]);
    await r.context.close();
  }, 120_000);
});
