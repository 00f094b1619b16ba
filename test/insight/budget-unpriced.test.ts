// Model calls without a price (a model not registered, or not priced that day) are in no budget's
// actuals: their cost is unknown. Found by review: the alignment and the diagnostic's budget area
// said nothing of them, so a budget whose agents called only an unregistered model read model
// licences USD 0 spent, off plan by −100 %, with thousands of calls behind it. They are counted and
// named as left out — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { spansExport } from '../support/otlp.js';
import { pdfText } from '../support/pdf.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { agentOf, applyWorld, dayOf, doc, initiative, resolution } from './world.js';

const NOW = Date.now();

describe.each(ENGINES)('a budget and model calls without a price on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await applyWorld(t, [
      initiative('claims', { stage: 'production', stageSince: dayOf(NOW, -60), outcomes: [resolution()] }),
      agentOf('claims'),
      doc('Budget', 'fy', {
        period: { from: dayOf(NOW, -30), to: dayOf(NOW, 30) },
        currency: 'USD',
        allocations: [{ category: 'model-licences', amount: 6100 }],
      }),
    ]);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/a-claims/keys' })).json().key as string;
    const start = BigInt(NOW - 60_000) * 1_000_000n;
    const spans = ['00f067aa0ba902b7', '00f067aa0ba902b8', '00f067aa0ba902b9'].map((spanId) => ({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId,
      name: 'chat',
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 1_000_000n),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'nobody-priced-this' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: 1_000_000 } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: 10 } },
      ],
    }));
    const sent = await t.request({ method: 'POST', url: '/otlp/v1/traces', token: key, payload: spansExport(spans) });
    expect(sent.statusCode, sent.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('counts them in the alignment and names them in the diagnostic', async () => {
    const a = (await t.request({ method: 'GET', url: '/v1/budgets/fy/alignment' })).json();
    expect(a.categories.find((c: { category: string }) => c.category === 'model-licences').actual).toBe(0);
    expect(a.unpricedModelCalls).toBe(3);
    const d = (await t.request({ method: 'GET', url: '/v1/diagnostic' })).json();
    const budget = d.areas.find((x: { area: string }) => x.area === 'budget');
    expect(budget.evidence).toContainEqual({
      label: 'model calls without a price, not in these actuals (GET /v1/signals lists them)',
      value: 3,
    });
  });

  it('says them in the budget section of the board report, as JSON, Markdown and PDF', async () => {
    const said =
      'Its actuals leave out 3 model calls without a price (a model not registered, or not priced that day): their cost is unknown, so model licences and compute are lower bounds.';
    const json = (await t.request({ method: 'GET', url: '/v1/report?format=json' })).json();
    expect(json.budgets.find((b: { name: string }) => b.name === 'fy').unpricedModelCalls).toBe(3);
    const md = (await t.request({ method: 'GET', url: '/v1/report?format=md' })).body;
    expect(md).toContain(said);
    const pdf = (await t.request({ method: 'GET', url: '/v1/report?format=pdf' })).rawPayload;
    expect(pdfText(pdf).replace(/ ?\n/g, ' ')).toContain(said);
  });
});
