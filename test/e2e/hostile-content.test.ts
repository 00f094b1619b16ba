// The console against what an agent key or a registry writer can put in front of a person, in a real
// browser: arguments and Cedar text with direction-changing and invisible characters, telemetry
// naming a look-alike agent, a flood of approval requests, and links the console cannot decode.
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIDDEN_CHARS } from '../../src/hidden-chars.js';
import { CONSOLE_PAGES } from '../../src/http/console-pages.js';
import { call, cli } from '../support/process.js';
import { openPage, type SignedInTab, screenshot } from './support/browser.js';
import { type ConsoleUnderTest, startConsole } from './support/console.js';

const ADMIN = 'fat_e2e-hostile-admin';
const RLO = '\u202E';
const PDF = '\u202C';
const ZWSP = '\u200B';
/** Refunds over 500 wait for a person (examples/acme/policies.yaml). */
const refund = (orderId: string) => ({
  action: 'tool.call',
  tool: 'crm.refund',
  arguments: { orderId, amount: 900, currency: 'EUR', reason: 'other' },
});

describe('the console shows hostile content as it is', () => {
  let app: ConsoleUnderTest;
  let agentKey: string;

  beforeAll(async () => {
    app = await startConsole('sqlite', {
      admin: ADMIN,
      // One agent opens more than the queue shows (below): past the default share of 50 it would be refused.
      env: { FULCRUM_MAX_PENDING_APPROVALS: '500' },
    });
    const applied = await cli({ ...app.env, FULCRUM_URL: app.url, FULCRUM_TOKEN: ADMIN }, 'apply', '-f', 'examples/acme');
    if (applied.code !== 0) throw new Error(`apply failed: ${applied.stderr}`);
    // A registry writer's policy whose string reads, on screen, otherwise than it compares.
    const policy = await call(app.url, ADMIN, 'POST', '/v1/apply', {
      files: [
        {
          path: 'trojan.yaml',
          content: [
            'apiVersion: fulcrum/v1',
            'kind: Policy',
            'metadata: { name: trojan-string }',
            'spec:',
            '  mode: monitor',
            '  cedar: |',
            '    forbid (principal, action == Action::"crm.refund", resource)',
            `    when { context.arguments has note && context.arguments.note == "supervisor ${RLO}devorppa${PDF}" };`,
          ].join('\n'),
        },
      ],
    });
    expect(policy.status).toBe(200);
    agentKey = (await call(app.url, ADMIN, 'POST', '/v1/agents/support-bot-eu/keys', {})).json.key;
  }, 90_000);
  afterAll(() => app?.close());

  async function signedIn(): Promise<SignedInTab> {
    return app.signedIn(ADMIN);
  }

  it('shows an argument with a right-to-left override as it is, not reversed', async () => {
    // On screen, raw, this orderId read "ord-4321-9000": the approver approved another order than they read.
    const orderId = `ord-${RLO}0009-1234${PDF}`;
    const asked = await call(app.url, agentKey, 'POST', '/v1/decisions', refund(orderId));
    expect(asked.json.decision).toBe('approval_required');
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/approvals`);
    const card = page.locator(`[data-approval="${asked.json.approvalId}"]`);
    await card.waitFor();
    const shown = await card.locator('pre').textContent();
    expect(shown).not.toContain(RLO);
    expect(shown).toContain('"orderId": "ord-\\u202E0009-1234\\u202C"');
    await expect.poll(() => card.getByRole('note').textContent()).toContain('2 invisible or direction-changing characters');
    await screenshot(page, 'hostile-approval-bidi');
    // Deciding it is unchanged: the approval binds the arguments the agent sent.
    await card.getByRole('button', { name: 'Deny' }).click();
    await card.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("marks hidden characters in a policy's @approval message, on the approval and on the policy", async () => {
    // A registry writer's message, shown to the approver as why the call needs them: raw, it read
    // "Refund checked by supervisor", words the policy does not hold.
    const applied = await call(app.url, ADMIN, 'POST', '/v1/apply', {
      files: [
        {
          path: 'trojan-approval.yaml',
          content: [
            'apiVersion: fulcrum/v1',
            'kind: Policy',
            'metadata: { name: trojan-approval }',
            'spec:',
            '  mode: enforce',
            '  cedar: |',
            `    @approval("Refund ${RLO}rosivrepus yb dekcehc${PDF}${ZWSP}")`,
            '    forbid (principal, action == Action::"crm.refund", resource)',
            '    when { context.arguments.orderId == "ord-approval-message" };',
          ].join('\n'),
        },
      ],
    });
    expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    const asked = await call(app.url, agentKey, 'POST', '/v1/decisions', refund('ord-approval-message'));
    expect(asked.json.decision).toBe('approval_required');
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/approvals`);
    const reason = page.locator(`[data-approval="${asked.json.approvalId}"] .reasons li`).filter({ hasText: 'trojan-approval' });
    await reason.waitFor();
    const shown = (await reason.textContent()) ?? '';
    expect(shown).not.toContain(RLO);
    expect(shown).toContain('Refund \\u202Erosivrepus yb dekcehc\\u202C\\u200B');
    expect(await reason.locator('mark.hidden-char').count()).toBe(3);
    await page.goto(`${app.url}/policies#trojan-approval`);
    const policy = page.locator('article#trojan-approval');
    await policy.waitFor();
    const summary = (await policy.locator('p.small').first().textContent()) ?? '';
    expect(summary).toContain('“Refund \\u202Erosivrepus yb dekcehc\\u202C\\u200B”');
    expect(summary).not.toContain(RLO);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('marks hidden characters in Cedar text and in an identity telemetry claims', async () => {
    const sent = await call(app.url, agentKey, 'POST', '/v1/events', {
      events: [
        {
          type: 'task.completed',
          taskId: 'look-alike-1',
          agent: `support${ZWSP}-bot-us`,
          outcome: 'resolved',
          durationMs: 1000,
          endedAt: new Date().toISOString(),
        },
      ],
    });
    expect(sent.json.accepted).toBe(1);
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/policies#trojan-string`);
    const policy = page.locator('article#trojan-string');
    await policy.waitFor();
    // Raw, it read "supervisor approved".
    expect(await policy.locator('pre').textContent()).toContain('"supervisor \\u202Edevorppa\\u202C"');
    expect(await policy.getByRole('note').textContent()).toContain('2 invisible or direction-changing characters');
    await page.goto(`${app.url}/agents`);
    // Raw, the shadow identity looked exactly like the registered support-bot-us.
    await expect.poll(() => page.getByText('telemetry:support\\u200B-bot-us').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows an identity holding a hidden character apart from one holding its escape's six characters", async () => {
    // Both read "telemetry:look\u200B-alike" before a backslash before a `u` was marked as its escape.
    const event = (agent: string, taskId: string) => ({
      type: 'task.completed',
      taskId,
      agent,
      outcome: 'resolved',
      durationMs: 1000,
      endedAt: new Date().toISOString(),
    });
    const sent = await call(app.url, agentKey, 'POST', '/v1/events', {
      events: [event(`look${ZWSP}-alike`, 'look-alike-hidden'), event('look\\u200B-alike', 'look-alike-typed')],
    });
    expect(sent.json.accepted).toBe(2);
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/agents`);
    const hidden = page.getByText('telemetry:look\\u200B-alike', { exact: true });
    const typed = page.getByText('telemetry:look\\u005Cu200B-alike', { exact: true });
    await expect.poll(() => typed.count()).toBe(1);
    expect(await hidden.count()).toBe(1);
    expect(await hidden.locator('mark.hidden-char').getAttribute('title')).toMatch(/^U\+200B: /);
    expect(await typed.locator('mark.hidden-char').getAttribute('title')).toMatch(/^U\+005C: a backslash/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('marks hidden characters in a model name telemetry claims, among the unpriced calls', async () => {
    const start = BigInt(Date.now() - 60_000) * 1_000_000n;
    const span = {
      traceId: '5bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '10f067aa0ba902b7',
      name: 'chat',
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 1_000_000n),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        // Raw, it looked exactly like a registered model's name.
        { key: 'gen_ai.request.model', value: { stringValue: `gpt-4o${ZWSP}-mini` } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: 10 } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: 10 } },
      ],
    };
    const traced = await call(app.url, agentKey, 'POST', '/otlp/v1/traces', {
      resourceSpans: [{ scopeSpans: [{ spans: [span] }] }],
    });
    expect(traced.status, JSON.stringify(traced.json)).toBe(200);
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/agents`);
    const table = page.getByTestId('unpriced-model-calls');
    await expect.poll(() => table.getByText('gpt-4o\\u200B-mini').count()).toBe(1);
    expect(await table.textContent()).not.toContain(ZWSP);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('marks hidden characters in what the audit log shows of an entry', async () => {
    const asked = await call(app.url, agentKey, 'POST', '/v1/decisions', refund('ord-audit-1'));
    // Raw, it read "refund not checked" in the log, words the stored comment does not hold.
    const comment = `refund ${RLO}dekcehc ton${PDF}`;
    const denied = await call(app.url, ADMIN, 'POST', `/v1/approvals/${asked.json.approvalId}/deny`, { comment });
    expect(denied.status).toBe(200);
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/audit`);
    await expect.poll(() => page.getByText('refund \\u202Edekcehc ton\\u202C').count()).toBe(1);
    // The same call again is refused quoting the comment in its reason (approval-denied): the Reasons
    // column showed it raw (found by review).
    expect((await call(app.url, agentKey, 'POST', '/v1/decisions', refund('ord-audit-1'))).json.decision).toBe('deny');
    await page.reload();
    const shown = async () =>
      ((await page.locator('table').first().textContent()) ?? '').split('refund \\u202Edekcehc ton\\u202C').length - 1;
    await expect.poll(shown).toBe(2);
    expect(await page.locator('table').first().textContent()).not.toContain(RLO);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('leaves no hidden character raw in any text or attribute of any page', async () => {
    // What registry writers, telemetry and incident reporters control, each with hidden characters:
    // raw in a tooltip or an accessible name (read out by a screen reader) or a text node, it reads otherwise.
    const mark = (s: string) => `${s} ${RLO}kcehc${PDF}${ZWSP}`;
    const rewrite = async (plural: string, name: string, change: (spec: Record<string, unknown>) => void) => {
      const got = (await call(app.url, ADMIN, 'GET', `/v1/${plural}/${name}`)).json;
      change(got.spec);
      const put = await call(app.url, ADMIN, 'PUT', `/v1/${plural}/${name}`, got);
      expect(put.status, `${plural}/${name}: ${JSON.stringify(put.json)}`).toBe(200);
    };
    await rewrite('business-units', 'customer-ops', (s) => {
      s.title = mark(String(s.title));
    });
    await rewrite('people', 'dana.lee', (s) => {
      s.displayName = mark(String(s.displayName));
    });
    await rewrite('initiatives', 'support-deflection', (s) => {
      s.title = mark(String(s.title));
      s.description = mark(String(s.description));
      for (const o of s.outcomes as Array<{ name: string; source: string; unit: string }>) {
        o.name = mark(o.name);
        if (o.source === 'time_saved_hours') o.unit = mark(o.unit);
      }
    });
    await rewrite('agents', 'support-bot-eu', (s) => {
      s.description = mark(String(s.description));
    });
    await rewrite('agents', 'support-bot-de', (s) => {
      s.framework = mark(String(s.framework));
    });
    await rewrite('models', 'gpt-4o-mini', (s) => {
      s.provider = mark(String(s.provider));
    });
    const opened = await call(app.url, ADMIN, 'POST', '/v1/incidents', {
      title: mark('Refunds paid twice'),
      description: mark('Seen in the EU queue'),
      severity: 'sev2',
      agents: ['support-bot-eu'],
    });
    expect(opened.status, JSON.stringify(opened.json)).toBe(201);
    // A shadow identity and an unregistered model name: shown on the Overview's evidence too.
    const sent = await call(app.url, agentKey, 'POST', '/v1/events', {
      events: [
        {
          type: 'task.completed',
          taskId: 'look-alike-everywhere',
          agent: `support${ZWSP}-bot-eu`,
          outcome: 'resolved',
          durationMs: 1000,
          endedAt: new Date().toISOString(),
        },
      ],
    });
    expect(sent.json.accepted).toBe(1);

    const { context, page, errors } = await signedIn();
    const found: string[] = [];
    // And the views a hash opens: an initiative whole, a descriptor's text.
    const withHash = ['/registry#initiatives/support-deflection', '/initiatives#support-deflection', '/registry#people/dana.lee'];
    for (const path of [...CONSOLE_PAGES, ...withHash]) {
      await page.goto(`${app.url}${path}`);
      await page.locator('main h1').first().waitFor();
      await expect.poll(() => page.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
      const raw = await page.evaluate((chars) => {
        const hidden = new RegExp(`[${chars}]`, 'u');
        const out: string[] = [];
        const show = (s: string) => JSON.stringify(s.slice(0, 80));
        if (hidden.test(document.title)) out.push(`document.title ${show(document.title)}`);
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (n.nodeType === Node.TEXT_NODE) {
            if (hidden.test(n.nodeValue ?? ''))
              out.push(`text in <${n.parentElement?.tagName.toLowerCase()}> ${show(n.nodeValue ?? '')}`);
            continue;
          }
          const el = n as Element;
          for (const a of Array.from(el.attributes)) {
            // The board report's preview is the server's HTML edition, a document of its own (srcdoc).
            if (el.tagName === 'IFRAME' && a.name === 'srcdoc') continue;
            if (hidden.test(a.value)) out.push(`${a.name}= on <${el.tagName.toLowerCase()}> ${show(a.value)}`);
          }
        }
        return out;
      }, HIDDEN_CHARS);
      found.push(...raw.map((r) => `${path}: ${r}`));
    }
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('says when more approvals wait than the queue shows', async () => {
    for (let i = 0; i < 201; i++) {
      const asked = await call(app.url, agentKey, 'POST', '/v1/decisions', refund(`ord-flood-${i}`));
      expect(asked.json.decision).toBe('approval_required');
    }
    const { context, page, errors } = await signedIn();
    await page.goto(`${app.url}/approvals`);
    await page.locator('[data-approval]').first().waitFor();
    expect(await page.locator('[data-approval]').count()).toBe(200);
    // Before, the 201st (the oldest, the nearest to expiring) was simply not there.
    expect(await page.getByRole('status').filter({ hasText: 'More than 200 calls are waiting' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("refuses a telemetry collector's key at sign-in, as it does an agent's", async () => {
    const { key } = (await call(app.url, ADMIN, 'POST', '/v1/telemetry-collectors/sales-otel-collector/keys', {})).json;
    const context = await app.browser.newContext();
    const { page } = await openPage(context);
    await page.goto(`${app.url}/`);
    await page.getByLabel('API token').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Before, it was kept as a sign-in and every page answered 403.
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('telemetry collector’s key');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await context.close();
  });

  it('answers a path that is no console page 404, the app saying so', async () => {
    const { context, page, errors } = await signedIn();
    const res = await page.goto(`${app.url}/.git/config`);
    expect(res?.status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect((await page.goto(`${app.url}/approvals`))?.status()).toBe(200);
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
    await context.close();
  });

  it('shows the page a link names when its hash is not valid percent-encoding', async () => {
    const { context, page, errors } = await signedIn();
    // Decoding threw in render: a blank page, on reload too.
    await page.goto(`${app.url}/policies#%E0%A4%A`);
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor({ timeout: 10_000 });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
