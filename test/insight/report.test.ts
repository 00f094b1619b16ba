// The board report: one content model (format=json) rendered as Markdown, HTML and PDF, each
// carrying the verdict, the scorecard, outcomes, ROI, spend against allocation, incidents and risks,
// and the "where AI is not ready" section — from the same facts as the diagnostic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offLoop } from '../../src/http/off-loop.js';
import { ENGINES } from '../support/databases.js';
import { pdfPageCount, pdfText } from '../support/pdf.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('board report on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    let key: string;
    ({ t, key } = await startMini(engine));
    const endedAt = new Date().toISOString();
    const events = Array.from({ length: 10 }, (_, i) => ({
      type: 'task.completed',
      taskId: `t${i}`,
      outcome: i < 6 ? 'resolved' : 'escalated',
      durationMs: 60_000,
      endedAt,
      costUsd: 0.25,
    }));
    expect((await t.request({ method: 'POST', url: '/v1/events', token: key, payload: { events } })).statusCode).toBe(200);
    const today = endedAt.slice(0, 10);
    const spend = await t.request({
      method: 'POST',
      url: '/v1/budgets/fy2026/spend',
      payload: {
        lines: [
          { date: today, category: 'model-licences', amount: 1234, initiative: 'support-deflection', description: 'usage' },
        ],
      },
    });
    expect(spend.statusCode).toBe(201);
    const incident = await t.request({
      method: 'POST',
      url: '/v1/incidents',
      payload: {
        title: 'Refund <script> loop',
        severity: 'sev2',
        agents: ['support-bot-eu'],
        seriousIncident: true,
        seriousKind: 'other',
      },
    });
    expect(incident.statusCode).toBe(201);
  });
  afterAll(() => t.close());

  it('json holds the diagnostic, outcomes, ROI, spend, incidents and risks the renderings show', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/report?format=json' });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    const d = (await t.request({ method: 'GET', url: '/v1/diagnostic' })).json();
    expect(r.diagnostic.verdict).toBe(d.verdict);
    expect(r.diagnostic.areas.map((a: { status: string }) => a.status)).toEqual(d.areas.map((a: { status: string }) => a.status));
    const support = r.initiatives.find((i: { name: string }) => i.name === 'support-deflection');
    const resolution = support.metrics.find((m: { provenance: string }) => m.provenance === 'measured');
    expect(resolution.current).toBeCloseTo(0.6, 5);
    expect(support.roi.cost).toBeCloseTo(2.5 + 1234, 2);
    const roi = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/roi' })).json();
    expect(support.roi.roi).toBe(roi.roi);
    const [budget] = r.budgets;
    expect(budget.name).toBe('fy2026');
    const licences = budget.categories.find((c: { category: string }) => c.category === 'model-licences');
    expect(licences.actual).toBeGreaterThanOrEqual(1234);
    expect(r.incidents.open).toHaveLength(1);
    expect(r.incidents.open[0].reporting.dueAt).toBeTruthy();
    expect(r.risks.find((x: { initiative: string }) => x.initiative === 'support-deflection').tier).toBe('high');
  });

  it('md, html and pdf carry every section, escape what people typed, and download as files', async () => {
    const md = await t.request({ method: 'GET', url: '/v1/report?format=md' });
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.headers['content-disposition']).toMatch(/attachment; filename="board-report-\d{4}-\d{2}-\d{2}\.md"/);
    const html = await t.request({ method: 'GET', url: '/v1/report?format=html' });
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toContain('<svg');
    expect(html.body).not.toContain('<script>');
    expect(html.body).toContain('Refund &lt;script&gt; loop');
    // Drawn on the worker thread (src/http/off-loop.ts): in one piece on the event loop it held every
    // other request of the node for ~90 ms to ~1 s.
    expect(offLoop().available, 'dist/http/off-loop-thread.js (run npm run build)').toBe(true);
    const tasks = offLoop().tasks;
    const pdf = await t.request({ method: 'GET', url: '/v1/report?format=pdf' });
    expect(offLoop().tasks - tasks).toBe(1);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = pdf.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfPageCount(bytes)).toBeGreaterThanOrEqual(2);
    const text = pdfText(bytes);
    const sections = [
      'Scale-or-fail scorecard',
      'Outcomes against targets',
      'Return on investment',
      'Spend against budget',
      'Incidents and risks',
      'Where AI is not ready yet',
    ];
    for (const s of sections) {
      expect(md.body).toContain(`## ${s}`);
      expect(html.body).toContain(`<h2>${s}`);
      expect(text).toContain(s);
    }
    expect(text).toContain('Refund <script> loop');
    expect(text).toMatch(/page 1 of \d/);
  });

  it('refuses an unknown format, and readers without a role', async () => {
    const bad = await t.request({ method: 'GET', url: '/v1/report?format=docx' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('querystring/format');
    expect((await t.request({ method: 'GET', url: '/v1/report', token: 'nope' })).statusCode).toBe(401);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    expect((await t.request({ method: 'GET', url: '/v1/report', token: key })).statusCode).toBe(403);
  });
});
